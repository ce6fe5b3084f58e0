/**
 * @module
 * Asks a worker what it runs (Health.Check).
 */
import { createClient, type Transport } from "@connectrpc/connect";
import { Health, HealthCheckResponse_Status } from "../../gen/nobody/v1/health_pb.ts";
import type { WorkerHealth } from "../../ports/worker_connection.ts";

export type { WorkerHealth };

export async function probeHealth(
  transport: Transport,
  options: { signal?: AbortSignal; timeoutMs: number },
): Promise<WorkerHealth> {
  const response = await createClient(Health, transport).check({}, options);
  return {
    serving: response.status === HealthCheckResponse_Status.SERVING,
    engine: response.engine,
    engineDetail: response.engineDetail,
    fallbacks: response.fallbacks,
    pid: response.pid,
    sampleRate: response.sampleRate,
  };
}
