import { describe, expect, it } from 'vitest';
import { attachRestApiStage } from '../../../plugins/rest-api-stage.mjs';

/** The shape osls compiles: a deployment that would create the stage itself, and our own stage resource. */
function compiled() {
  return {
    ApiGatewayRestApi: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'prod-cognito-gate' } },
    ApiGatewayDeployment1796163275902: {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { RestApiId: { Ref: 'ApiGatewayRestApi' }, StageName: 'prod' },
    },
    ApiGatewayStage: {
      Type: 'AWS::ApiGateway::Stage',
      Properties: { RestApiId: { Ref: 'ApiGatewayRestApi' }, StageName: 'prod', MethodSettings: [] },
    },
  } as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

describe('the REST API stage plugin', () => {
  it('points the stage at the generated deployment and leaves the stage to the stage resource alone', () => {
    // Prepare
    const resources = compiled();
    // Act
    attachRestApiStage(resources);
    // Assess
    expect(resources.ApiGatewayStage!.Properties).toEqual({
      RestApiId: { Ref: 'ApiGatewayRestApi' },
      StageName: 'prod',
      MethodSettings: [],
      DeploymentId: { Ref: 'ApiGatewayDeployment1796163275902' },
    });
    expect(resources.ApiGatewayDeployment1796163275902!.Properties).toEqual({
      RestApiId: { Ref: 'ApiGatewayRestApi' },
    });
  });

  it('refuses a stage resource whose name differs from the stage being packaged', () => {
    const resources = compiled();
    resources.ApiGatewayStage!.Properties!.StageName = 'dev';
    expect(() => attachRestApiStage(resources)).toThrow(
      /StageName \(dev\) differs from the stage osls deploys \(prod\)/,
    );
  });

  it('refuses REST routes without a stage resource, which would deploy an unthrottled stage', () => {
    const resources = compiled();
    delete resources.ApiGatewayStage;
    expect(() => attachRestApiStage(resources)).toThrow(/no ApiGatewayStage resource/);
  });

  it('leaves a template without REST routes as it is', () => {
    const resources = { HttpApi: { Type: 'AWS::ApiGatewayV2::Api' } };
    attachRestApiStage(resources);
    expect(resources).toEqual({ HttpApi: { Type: 'AWS::ApiGatewayV2::Api' } });
  });
});
