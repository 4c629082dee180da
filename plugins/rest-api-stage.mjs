// @ts-check
/**
 * osls plugin: the REST API's stage is the `ApiGatewayStage` resource of serverless.yml (throttling, access
 * logs, all in the template). osls would let its deployment resource create the stage, which carries neither:
 * it applies REST stage logs with SDK calls after the deploy, and has no throttling setting. This points the
 * stage at the deployment osls generated (whose logical id changes with every package) and takes the stage
 * name off that deployment, so that exactly one resource owns the stage.
 */

/** @typedef {{ Type: string, Properties?: Record<string, unknown> }} Resource */

export const STAGE_LOGICAL_ID = 'ApiGatewayStage';

/**
 * @param {Record<string, Resource>} resources  the compiled template's resources, changed in place
 */
export function attachRestApiStage(resources) {
  const stage = resources[STAGE_LOGICAL_ID];
  const deployments = Object.entries(resources).filter(
    ([, resource]) => resource.Type === 'AWS::ApiGateway::Deployment',
  );
  if (!stage) {
    if (deployments.length > 0) throw new Error(`serverless.yml has REST routes but no ${STAGE_LOGICAL_ID} resource`);
    return;
  }
  if (deployments.length !== 1) {
    throw new Error(`expected one AWS::ApiGateway::Deployment for ${STAGE_LOGICAL_ID}, found ${deployments.length}`);
  }
  const [deploymentId, deployment] = /** @type {[string, Resource]} */ (deployments[0]);
  const properties = deployment.Properties ?? {};
  const stageProperties = stage.Properties ?? {};
  if (properties.StageName !== undefined && properties.StageName !== stageProperties.StageName) {
    throw new Error(
      `${STAGE_LOGICAL_ID}.StageName (${stageProperties.StageName}) differs from the stage osls deploys (${properties.StageName})`,
    );
  }
  delete properties.StageName;
  stage.Properties = { ...stageProperties, DeploymentId: { Ref: deploymentId } };
}

/** @typedef {{ service: { provider: { compiledCloudFormationTemplate: { Resources: Record<string, Resource> } } } }} Serverless */

export default class RestApiStagePlugin {
  /** @param {Serverless} serverless */
  constructor(serverless) {
    this.hooks = {
      // After resources: from serverless.yml are merged in, before the template is written.
      'after:aws:package:finalize:mergeCustomProviderResources': () =>
        attachRestApiStage(serverless.service.provider.compiledCloudFormationTemplate.Resources),
    };
  }
}
