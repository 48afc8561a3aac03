import { checkParameterName, parameterName, type AwsEnvironment, type ParameterDefinition } from '@gitops/contract';
import { Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface ContractParameterProps {
  /** The contract's definition: the parameter's path, its SSM type and the shape of its value. */
  readonly definition: ParameterDefinition;
  /** The environment whose prefix and account the name and value belong to. */
  readonly env: AwsEnvironment;
  /** The value: a string for a String parameter, a list for a StringList; CDK tokens allowed. */
  readonly value: string | readonly string[];
}

/**
 * One SSM parameter the generator reads, written only through the contract. Its name comes from
 * `parameterName(definition, env)` and is checked against SSM's name rules (CDK checks only the
 * length and characters), its type comes from the definition, and a value known at synth time is
 * checked against the definition's validator.
 */
export class ContractParameter extends Construct {
  /** The full SSM name, e.g. `/fargate-gitops/dev/network/vpc-id`. */
  readonly parameterName: string;
  readonly parameter: ssm.StringParameter | ssm.StringListParameter;

  constructor(scope: Construct, id: string, props: ContractParameterProps) {
    super(scope, id);
    const { definition, env, value } = props;
    this.parameterName = parameterName(definition, env);
    const nameProblems = checkParameterName(this.parameterName, env);
    if (nameProblems.length > 0) throw new Error(`SSM parameter ${this.parameterName}: ${nameProblems.join('; ')}`);

    const joined = typeof value === 'string' ? value : value.join(',');
    if (!Token.isUnresolved(joined)) {
      const checked = definition.kind.check(joined, env);
      if (!checked.ok) throw new Error(`SSM parameter ${this.parameterName}: value "${joined}" is not ${checked.expected}`);
    }
    const common = { parameterName: this.parameterName, description: definition.description, tier: ssm.ParameterTier.STANDARD };
    if (definition.type === 'StringList') {
      if (typeof value === 'string') throw new Error(`SSM parameter ${this.parameterName} is a StringList: pass a list`);
      this.parameter = new ssm.StringListParameter(this, 'Parameter', { ...common, stringListValue: [...value] });
    } else {
      if (typeof value !== 'string') throw new Error(`SSM parameter ${this.parameterName} is a String: pass one value`);
      this.parameter = new ssm.StringParameter(this, 'Parameter', { ...common, stringValue: value });
    }
  }
}
