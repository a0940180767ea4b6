// Cases on Azure: a Flex Consumption function app (.NET 10 isolated worker, Linux) over one storage account, with a
// user-assigned managed identity (no keys anywhere), Application Insights and least-privilege role assignments.
// Secure by default (docs/security.md): App Service Authentication answers 401 without an Entra token, storage is
// behind a firewall that admits the app's subnet, no basic-auth publishing, diagnostics to Log Analytics.
// Deploy into an existing resource group:
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/main.parameters.json
// Plain resource declarations only (no registry modules), so `bicep build` works offline.
targetScope = 'resourceGroup'

@description('Short environment name (dev, test, prod, ...). Part of every resource name and tagged on every resource.')
@minLength(2)
@maxLength(10)
param environmentName string = 'dev'

@description('Azure region for every resource. Must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Base name of the resources. Lowercase letters and digits; with the environment name and a unique suffix it names the function app, plan, identity, storage account and monitoring resources.')
@minLength(2)
@maxLength(10)
param appName string = 'cases'

@description('NCRONTAB schedule (6 fields, UTC) of the AssignCaseNumbers timer that numbers new cases.')
param numberingSchedule string = '0 */10 * * * *'

@description('Most instances the app may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB (Flex Consumption sizes: 512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Instances kept warm for HTTP (0 = scale to zero; 1 or more removes cold starts for a fixed cost).')
@minValue(0)
@maxValue(20)
param alwaysReadyHttpInstances int = 0

@description('Prefix of the app\'s table names (Cases__Storage__TablePrefix): letters and digits, starting with a letter, up to 20 characters, or empty.')
@maxLength(20)
param tablePrefix string = ''

@description('Client id of the Entra app registration that signs callers in (App Service Authentication, "Easy Auth"). Authentication is always on and answers 401 to requests without a valid token; until this is set, every request except health gets 401.')
param authClientId string = ''

@description('Take the caller from App Service Authentication\'s X-MS-CLIENT-PRINCIPAL header. Defaults to true when authClientId is set: the platform then sets that header and strips it from callers.')
param trustClientPrincipal bool = !empty(authClientId)

@description('Client networks (IPv4 addresses or CIDR ranges) allowed to reach the storage account: downloads redirect to short-lived signed links of the blob, which the caller\'s browser follows. Empty: only the app\'s subnet reaches storage, and downloads by link fail.')
param storageClientIpRanges array = []

@description('Address space of the virtual network the app reaches storage through (service endpoints; the storage firewall admits only its subnet).')
param vnetAddressPrefix string = '10.42.0.0/16'

@description('Key that signs the _find searchAfter tokens (Cases__Find__TokenKey), the same on every instance. Generated per deployment by default: tokens handed out before a deployment are then refused with 400.')
@secure()
param searchAfterTokenKey string = '${newGuid()}${newGuid()}'

@description('User name that requests without a trusted principal act as. Empty (the default) makes them 401: nobody can use the API until App Service Authentication is on and trustClientPrincipal is true.')
param anonymousUserName string = ''

@description('Origins of browser front ends allowed to call the API (exact origins such as https://cases.contoso.com; no "*", since requests carry credentials). Applied as the Function app\'s CORS; empty: no cross-origin access.')
param corsAllowedOrigins array = []

@description('Entra app role with every case privilege in every space (Cases__Access__AdminRole). Empty: none. Other roles are mapped with Cases__Access__Roles__{role}__{n} app settings (see docs/access.md).')
param accessAdminRole string = ''

@description('Days Log Analytics keeps logs and Application Insights telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days deleted or overwritten blobs (case files) can be restored.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

@description('Hosts connectors may call (Cases__Connectors__AllowedHosts): comma-separated host names or IP addresses, * for any. Empty (the default) allows none until an operator decides.')
param connectorAllowedHosts string = ''

@description('Optional: the 256-bit key that encrypts connector secrets, in base64 (openssl rand -base64 32), stored as a Key Vault secret. Pass it once; empty leaves the secret as it is (set it yourself with az keyvault secret set). Never change it while connectors exist: their secrets could no longer be read.')
@secure()
param connectorSecretsKey string = ''

@description('Tags added to every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------------------
// Names

var suffix = take(uniqueString(subscription().id, resourceGroup().id, appName, environmentName), 6)
var baseName = '${appName}-${environmentName}'
var functionAppName = '${baseName}-${suffix}'
var storageAccountName = take(toLower('${appName}${environmentName}${suffix}'), 24)
var allTags = union(tags, { application: 'cases', environment: environmentName })

// What the app uses in the account (see README "Deploy to Azure").
var deploymentContainerName = 'app-package'
// The app names its containers like its tables: the prefix (lower-cased, as container names must be) first.
var caseFilesContainerName = '${toLower(tablePrefix)}case-files'
var viewSnapshotsContainerName = '${toLower(tablePrefix)}view-snapshots'
var alertStatusQueueName = 'alert-status-updates'
var casesTableName = '${tablePrefix}cases'
var helperTableNames = ['numbering', 'views', 'alertsync', 'pendingblobs', 'connectors', 'profiles', 'webhooks', 'notifysent', 'notifyheld']
// The notification queue (email and webhook deliveries, docs/notifications.md) and where failed messages are set aside.
var notificationQueueNames = ['${toLower(tablePrefix)}case-notifications', '${toLower(tablePrefix)}case-notifications-poison']
var hostContainerNames = ['azure-webjobs-hosts', 'azure-webjobs-secrets']
var keyVaultName = take('kv-${appName}${environmentName}${suffix}', 24)
var secretsKeyName = 'cases-secrets-key'

// No anonymous user: Cases__Identity__LocalUserEnabled=false, so requests without a trusted principal get 401.
var localUserSettings = empty(anonymousUserName)
  ? [
      { name: 'Cases__Identity__LocalUserEnabled', value: 'false' }
    ]
  : [
      { name: 'Cases__Identity__LocalUser__Username', value: anonymousUserName }
    ]

// Built-in roles (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0565c8e0cf1d'
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

// ---------------------------------------------------------------------------------------------------------------
// Identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}-${suffix}'
  location: location
  tags: allTags
}

// ---------------------------------------------------------------------------------------------------------------
// Network: the app's outbound traffic leaves through a delegated subnet with a storage service endpoint.

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: 'vnet-${baseName}-${suffix}'
  location: location
  tags: allTags
  properties: {
    addressSpace: {
      addressPrefixes: [vnetAddressPrefix]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(vnetAddressPrefix, 24, 0)
          delegations: [
            {
              name: 'flex'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          serviceEndpoints: [
            {
              service: 'Microsoft.Storage'
            }
          ]
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: 'app'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Storage: no shared keys (identity only), HTTPS and TLS 1.2+, no public blobs, soft delete for blobs and containers.

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: allTags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // The firewall admits the app's subnet and the client ranges that follow signed download links; nothing else.
    // (It is per account: tables and queues answer those ranges too, but with no shared key and no role they refuse them.)
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'None'
      virtualNetworkRules: [
        {
          id: vnet::appSubnet.id
          action: 'Allow'
        }
      ]
      ipRules: [for ipRange in storageClientIpRanges: { value: ipRange, action: 'Allow' }]
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The Functions host's own containers (locks, timer status, keys), created here so the identity needs no account-wide role.
resource hostContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for name in hostContainerNames: {
    parent: blobService
    name: name
    properties: {
      publicAccess: 'None'
    }
  }
]

resource caseFilesContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: caseFilesContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Each space's view snapshot, what a new instance loads instead of scanning the space (docs/find.md).
resource viewSnapshotsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: viewSnapshotsContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource alertStatusQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: alertStatusQueueName
}

resource notificationQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for name in notificationQueueNames: {
    parent: queueService
    name: name
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource casesTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: casesTableName
}

// The numbering queue, the find views' change log and their snapshots, alert syncs not yet sent, file blobs in flight,
// connectors, user profiles, webhooks and the emails sent (docs/architecture.md, "Storage layout").
resource helperTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for name in helperTableNames: {
    parent: tableService
    name: '${tablePrefix}${name}'
  }
]

// ---------------------------------------------------------------------------------------------------------------
// Key Vault: the key that encrypts connector secrets at rest (docs/connectors.md). RBAC only (no access policies),
// soft delete with purge protection, so the key cannot be lost by accident.

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: allTags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource secretsKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(connectorSecretsKey)) {
  parent: vault
  name: secretsKeyName
  properties: {
    value: connectorSecretsKey
    contentType: 'base64 AES-256 key'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Monitoring: Log Analytics workspace and a workspace-based Application Insights that accepts Entra ID auth only.

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${baseName}-${suffix}'
  location: location
  tags: allTags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${baseName}-${suffix}'
  location: location
  tags: allTags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
    RetentionInDays: logRetentionInDays
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Function app: Flex Consumption plan (FC1, Linux), package pulled from the deployment container with the identity.

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${baseName}-${suffix}'
  location: location
  tags: allTags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(allTags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: vnet::appSubnet.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Browser front ends on other origins; the platform answers preflights and adds the headers (the app's own CORS stays off here).
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: !empty(corsAllowedOrigins)
      }
      appSettings: concat([
        // The host and the app reach storage with the user-assigned identity: service URIs, no connection string.
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
        { name: 'Cases__Storage__TablePrefix', value: tablePrefix }
        { name: 'Cases__Identity__TrustClientPrincipal', value: string(trustClientPrincipal) }
        { name: 'Cases__Find__TokenKey', value: searchAfterTokenKey }
        // Connectors: the hosts they may call, and the Key Vault secret holding the key of their secrets.
        { name: 'Cases__Connectors__AllowedHosts', value: connectorAllowedHosts }
        { name: 'Cases__Secrets__KeyVaultUri', value: vault.properties.vaultUri }
        { name: 'Cases__Secrets__KeyName', value: secretsKeyName }
        { name: 'Cases__Secrets__ClientId', value: identity.properties.clientId }
        // Notifications: the DrainNotifications queue trigger reads %Cases:Notifications:Queue%, so it must exist; the
        // in-process reader stays off (the worker's default, said here too).
        { name: 'Cases__Notifications__Queue', value: notificationQueueNames[0] }
        { name: 'Cases__Notifications__RunInProcess', value: 'false' }
        // AssignCaseNumbers' NCRONTAB schedule: its TimerTrigger reads %NUMBERING_SCHEDULE%, so it must exist.
        { name: 'NUMBERING_SCHEDULE', value: numberingSchedule }
        // Distinct per app, so two apps sharing an account never share the timer lock (see README).
        { name: 'AzureFunctionsWebHost__hostid', value: take(functionAppName, 32) }
      ], localUserSettings, empty(accessAdminRole) ? [] : [
        { name: 'Cases__Access__AdminRole', value: accessAdminRole }
      ])
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReadyHttpInstances > 0
          ? [
              { name: 'http', instanceCount: alwaysReadyHttpInstances }
            ]
          : []
      }
      // The isolated worker on .NET 10 (./scripts/package builds its ReadyToRun publish output).
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
  dependsOn: [
    // The platform pulls the package and the host takes its locks with the identity: roles first.
    deploymentBlobOwner
    caseFilesBlobOwner
    viewSnapshotsBlobOwner
    hostBlobOwners
    blobDelegator
    queueContributor
    casesTableContributor
    helperTableContributors
    secretsUser
    deploymentContainer
  ]
}

// No FTP or SCM basic-auth publishing: deployments use Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// App Service Authentication: every request needs an Entra token for authClientId (401 otherwise), except health probes.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: ['/api/health', '/api/health/ready']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: !empty(authClientId)
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: empty(authClientId) ? [] : [authClientId, 'api://${authClientId}']
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnostic settings: the app's logs, and storage reads, writes and deletes, go to the Log Analytics workspace.

resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logs.id
    logs: [for category in ['StorageRead', 'StorageWrite', 'StorageDelete']: { category: category, enabled: true }]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logs.id
    logs: [for category in ['StorageRead', 'StorageWrite', 'StorageDelete']: { category: category, enabled: true }]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logs.id
    logs: [for category in ['StorageRead', 'StorageWrite', 'StorageDelete']: { category: category, enabled: true }]
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Role assignments: data-plane roles on the containers, tables and queue the app and its host use, not on the account;
// the one account-scoped role, Blob Delegator, only lets the identity sign download links for blobs it can already read.
// Blob Data Owner (not Contributor) is what the Functions host needs on its containers. Nothing is granted at
// resource-group or subscription scope.

resource deploymentBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deploymentContainer.id, identity.id, roles.storageBlobDataOwner)
  scope: deploymentContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource caseFilesBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(caseFilesContainer.id, identity.id, roles.storageBlobDataOwner)
  scope: caseFilesContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource viewSnapshotsBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(viewSnapshotsContainer.id, identity.id, roles.storageBlobDataOwner)
  scope: viewSnapshotsContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource hostBlobOwners 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in hostContainerNames: {
    name: guid(storage.id, name, identity.id, roles.storageBlobDataOwner)
    scope: hostContainers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource blobDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDelegator)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDelegator)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(alertStatusQueue.id, identity.id, roles.storageQueueDataContributor)
  scope: alertStatusQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource notificationQueueContributors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in notificationQueueNames: {
    name: guid(storage.id, name, identity.id, roles.storageQueueDataContributor)
    scope: notificationQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource casesTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(casesTable.id, identity.id, roles.storageTableDataContributor)
  scope: casesTable
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource helperTableContributors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in helperTableNames: {
    name: guid(storage.id, tablePrefix, name, identity.id, roles.storageTableDataContributor)
    scope: helperTables[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Read secrets (the connector secrets' key) of this one vault: not list, set or delete them, nor manage the vault.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What the deploy step and the operator need.

@description('Name of the function app: pass to `az functionapp deployment source config-zip --name`.')
output functionAppName string = functionApp.name

@description('Base URL of the API, e.g. <url>/api/cases and <url>/api/health/ready.')
output functionAppUrl string = 'https://${functionApp.properties.defaultHostName}'

@description('Storage account holding the cases table, the case-files container, the queue and the deployment package.')
output storageAccountName string = storage.name

@description('Container the platform pulls the app package from.')
output deploymentContainerName string = deploymentContainer.name

@description('Client id of the app\'s user-assigned managed identity (AzureWebJobsStorage__clientId).')
output identityClientId string = identity.properties.clientId

@description('Principal id of the app\'s managed identity, for granting it further access.')
output identityPrincipalId string = identity.properties.principalId

@description('Application Insights component receiving the app\'s logs and metrics.')
output applicationInsightsName string = appInsights.name

@description('Name of the table holding cases and their user actions.')
output casesTableName string = casesTable.name

@description('Blob container for case files.')
output caseFilesContainerName string = caseFilesContainer.name

@description('Blob container for the spaces\' view snapshots.')
output viewSnapshotsContainerName string = viewSnapshotsContainer.name

@description('Key Vault holding the connector secrets\' key (secret cases-secrets-key).')
output keyVaultName string = vault.name

@description('Queue for alert status updates.')
output alertStatusQueueName string = alertStatusQueue.name
