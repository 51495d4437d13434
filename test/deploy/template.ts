import type { CloudFormationTemplate } from './artifacts.js';

/*
 * Reading a packaged CloudFormation template: intrinsic functions rendered as readable strings
 * (`<ReportBucket.Arn>/kubeline/work/*`), IAM statements flattened, and the state machine's
 * definition parsed back into ASL.
 */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A template value as one string: `Ref X` → `<X>`, `Fn::GetAtt [X, A]` → `<X.A>`, `Fn::Join`
 * joined, `Fn::Sub` with its variables substituted. Other intrinsics are refused, so a test
 * never compares against something it did not understand.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    const [key, argument] = Object.entries(value)[0] ?? [];
    if (key === 'Ref' && typeof argument === 'string') return `<${argument}>`;
    if (key === 'Fn::GetAtt' && Array.isArray(argument)) return `<${argument.join('.')}>`;
    if (key === 'Fn::Join' && Array.isArray(argument)) {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map(render).join(separator);
    }
    if (key === 'Fn::Sub') {
      const [text, variables] = (Array.isArray(argument) ? argument : [argument, {}]) as [
        string,
        Record<string, unknown>,
      ];
      return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) =>
        name in variables ? render(variables[name]) : whole,
      );
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** One IAM Allow statement, with its actions and rendered resources. */
export interface FlatStatement {
  readonly role: string;
  readonly sid: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** The condition of the Fn::If that includes the statement, if any. */
  readonly condition?: string;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function flatten(role: string, statement: unknown, condition?: string): FlatStatement[] {
  if (isObject(statement) && 'Fn::If' in statement) {
    const [name, whenTrue, whenFalse] = statement['Fn::If'] as [string, unknown, unknown];
    return [whenTrue, whenFalse]
      .filter((branch) => !(isObject(branch) && branch.Ref === 'AWS::NoValue'))
      .flatMap((branch) => flatten(role, branch, name));
  }
  if (!isObject(statement))
    throw new Error(`${role}: a statement is not an object: ${JSON.stringify(statement)}`);
  const resources = statement.Resource;
  // A CommaDelimitedList parameter stands for a list of ARNs.
  const rendered =
    isObject(resources) && 'Ref' in resources ? [render(resources)] : asList(resources).map(render);
  return [
    {
      role,
      sid: String(statement.Sid ?? ''),
      effect: String(statement.Effect),
      actions: asList(statement.Action).map(String),
      resources: rendered,
      ...(condition ? { condition } : {}),
    },
  ];
}

/** Every statement of every inline policy of every IAM role, by role. */
export function roleStatements(template: CloudFormationTemplate): FlatStatement[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Role')
    .flatMap(([role, resource]) =>
      asList(resource.Properties?.Policies).flatMap((policy) => {
        const document = (policy as { PolicyDocument?: { Statement?: unknown } }).PolicyDocument;
        return asList(document?.Statement).flatMap((statement) => flatten(role, statement));
      }),
    );
}

/**
 * The state machine's definition as ASL: the Fn::Sub of serverless-step-functions with each
 * function ARN replaced by `arn:aws:lambda:…:function:<LogicalId>`.
 */
export function stateMachineDefinition(template: CloudFormationTemplate, logicalId: string): Json {
  const definition = template.Resources[logicalId]?.Properties?.DefinitionString;
  const [text, variables] = (
    isObject(definition) && Array.isArray(definition['Fn::Sub']) ? definition['Fn::Sub'] : [definition, {}]
  ) as [string, Record<string, unknown>];
  if (typeof text !== 'string') throw new Error(`${logicalId} has no DefinitionString`);
  const resolved = text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    if (variable === undefined) return whole;
    const getAtt = isObject(variable) ? variable['Fn::GetAtt'] : undefined;
    if (!Array.isArray(getAtt)) throw new Error(`unexpected definition variable ${JSON.stringify(variable)}`);
    return `arn:aws:lambda:us-east-1:123456789012:function:${String(getAtt[0])}`;
  });
  return JSON.parse(resolved) as Json;
}
