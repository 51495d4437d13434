import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { findMotoPython, type MotoProcess, startMoto } from '../peers/aws/motoProcess.js';

const REGION = 'us-east-1';
const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
/** Holds every execution RUNNING: moto does not run the states, and the Wait keeps it honest if it did. */
const HOLDING_DEFINITION = JSON.stringify({
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
});

/** moto's Step Functions on a loopback port, and a client of it to prepare and inspect executions. */
export interface StepFunctionsPeer {
  readonly endpoint: string;
  readonly sfn: SFNClient;
  /** Forgets every state machine and execution, then creates `kubeline-scan`; returns its ARN. */
  freshStateMachine(): Promise<string>;
  stop(): Promise<void>;
}

export async function startStepFunctionsPeer(): Promise<StepFunctionsPeer> {
  const moto: MotoProcess = await startMoto(await findMotoPython());
  const endpoint = `http://127.0.0.1:${moto.port}`;
  const sfn = new SFNClient({ region: REGION, endpoint, credentials: TEST_CREDENTIALS });
  return {
    endpoint,
    sfn,
    async freshStateMachine() {
      await moto.reset();
      const created = await sfn.send(
        new CreateStateMachineCommand({
          name: 'kubeline-scan',
          definition: HOLDING_DEFINITION,
          roleArn: 'arn:aws:iam::123456789012:role/kubeline-states',
        }),
      );
      return created.stateMachineArn ?? '';
    },
    async stop() {
      sfn.destroy();
      await moto.stop();
    },
  };
}
