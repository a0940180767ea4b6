// Cases on Azure: a Flex Consumption function app (.NET 10 isolated worker, Linux) over one storage account, with a
// user-assigned managed identity (no keys anywhere), Application Insights and least-privilege role assignments.
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

@description('Take the caller from App Service Authentication\'s X-MS-CLIENT-PRINCIPAL header. Set to true ONLY after turning on App Service Authentication (Easy Auth) for the app: without it, anyone can send that header and act as anyone.')
param trustClientPrincipal bool = false

@description('User name that requests without a trusted principal act as. Empty (the default) makes them 401: nobody can use the API until App Service Authentication is on and trustClientPrincipal is true.')
param anonymousUserName string = ''

@description('Days Log Analytics keeps logs and Application Insights telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days deleted or overwritten blobs (case files) can be restored.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

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
var caseFilesContainerName = 'case-files'
var alertStatusQueueName = 'alert-status-updates'
var casesTableName = '${tablePrefix}cases'

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
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// ---------------------------------------------------------------------------------------------------------------
// Identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}-${suffix}'
  location: location
  tags: allTags
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
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
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

resource caseFilesContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: caseFilesContainerName
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

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource casesTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: casesTableName
}

// The numbering queue, the find views' change log and their snapshots, alert syncs not yet sent, file blobs in flight
// (README, "Storage layout").
resource helperTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for name in ['numbering', 'changes', 'views', 'alertsync', 'pendingblobs']: {
    parent: tableService
    name: '${tablePrefix}${name}'
  }
]

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
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
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
        // AssignCaseNumbers' NCRONTAB schedule: its TimerTrigger reads %NUMBERING_SCHEDULE%, so it must exist.
        { name: 'NUMBERING_SCHEDULE', value: numberingSchedule }
        // Distinct per app, so two apps sharing an account never share the timer lock (see README).
        { name: 'AzureFunctionsWebHost__hostid', value: take(functionAppName, 32) }
      ], localUserSettings)
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
    blobOwner
    queueContributor
    tableContributor
    deploymentContainer
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Role assignments: data-plane roles on this one storage account only, and metrics publishing on this one component.
// Blob Data Owner (not Contributor) is what the Functions host needs on AzureWebJobsStorage (locks, deployment
// package); it also covers the case-files container. Nothing is granted at resource-group or subscription scope.

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
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

@description('Queue for alert status updates.')
output alertStatusQueueName string = alertStatusQueue.name
