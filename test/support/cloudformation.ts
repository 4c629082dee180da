/**
 * A packaged CloudFormation template, read as CloudFormation would read it for one account and region: the
 * intrinsic functions the template uses (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If,
 * Fn::Equals, Fn::Not, AWS::NoValue) evaluated, so that a test asserts the ARNs IAM will see. A resource's Ref
 * or attribute, known only after deploy, stays a marker: `<Ref:Id>`, `<Id.Attr>`.
 */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly Metadata?: Record<string, any>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, any>;
}

export interface Pseudo {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly urlSuffix: string;
}

export const US_EAST_1: Pseudo = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '111122223333',
  urlSuffix: 'amazonaws.com',
};

const NO_VALUE = Symbol('AWS::NoValue');

export class Template {
  constructor(
    readonly json: CfnTemplate,
    readonly pseudo: Pseudo = US_EAST_1,
  ) {}

  resource(id: string): CfnResource {
    const found = this.json.Resources[id];
    if (!found) throw new Error(`the template has no resource ${id}`);
    return found;
  }

  ofType(type: string): Array<[string, CfnResource]> {
    return Object.entries(this.json.Resources).filter(([, resource]) => resource.Type === type);
  }

  /** Whether a resource with a Condition is created. */
  creates(id: string): boolean {
    const { Condition } = this.resource(id);
    return Condition === undefined || this.condition(Condition);
  }

  condition(name: string): boolean {
    const definition = this.json.Conditions?.[name];
    if (definition === undefined) throw new Error(`the template has no condition ${name}`);
    return Boolean(this.resolve(definition));
  }

  /** A value with every intrinsic evaluated; AWS::NoValue removes the array item or key that holds it. */
  resolve(value: unknown): any {
    const resolved = this.evaluate(value);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  private ref(name: string): unknown {
    const pseudo: Record<string, string> = {
      'AWS::Partition': this.pseudo.partition,
      'AWS::Region': this.pseudo.region,
      'AWS::AccountId': this.pseudo.accountId,
      'AWS::URLSuffix': this.pseudo.urlSuffix,
    };
    if (name in pseudo) return pseudo[name];
    if (name === 'AWS::NoValue') return NO_VALUE;
    const parameter = this.json.Parameters?.[name];
    if (parameter) return parameter.Default;
    if (this.json.Resources[name]) return `<Ref:${name}>`;
    throw new Error(`Ref to ${name}, which the template does not define`);
  }

  private sub(text: string, variables: Record<string, unknown>): string {
    return text.replace(/\$\{(!?)([^}]+)\}/g, (_, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (name in variables) return String(this.evaluate(variables[name]));
      if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attribute] = name.split('.') as [string, string];
        this.resource(id);
        return `<${id}.${attribute}>`;
      }
      return String(this.ref(name));
    });
  }

  private evaluate(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.evaluate(item)).filter((item) => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[key, argument]] = entries as [[string, any]];
      switch (key) {
        case 'Ref':
          return this.ref(argument);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
          this.resource(id);
          return `<${id}.${attribute}>`;
        }
        case 'Fn::Sub':
          return Array.isArray(argument) ? this.sub(argument[0], argument[1] ?? {}) : this.sub(argument, {});
        case 'Fn::Join':
          return (this.evaluate(argument[1]) as unknown[]).join(argument[0]);
        case 'Fn::Split':
          return String(this.evaluate(argument[1])).split(argument[0]);
        case 'Fn::Select':
          return (this.evaluate(argument[1]) as unknown[])[Number(this.evaluate(argument[0]))];
        case 'Fn::If':
          return this.evaluate(this.condition(argument[0]) ? argument[1] : argument[2]);
        case 'Fn::Equals':
          return this.evaluate(argument[0]) === this.evaluate(argument[1]);
        case 'Fn::Not':
          return !this.evaluate(argument[0]);
        default:
          if (key.startsWith('Fn::'))
            throw new Error(`${key} is not evaluated here: teach test/support/cloudformation.ts`);
      }
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.evaluate(item);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }
}

/** Every string in a JSON value, with where it is. */
export function stringsIn(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, `${path}[${index}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringsIn(item, path ? `${path}.${key}` : key));
  return [];
}
