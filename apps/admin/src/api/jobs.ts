import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from './client';
import type { FleetJob, FleetJobDetail, FleetJobKind, FleetJobTenantState } from '@salesfleet/contracts';
import { queryKeys } from './query-keys';

/**
 * Fleet jobs run in the API server and are recorded in the registry: starting one returns it (or the
 * one of its kind already running), and the console follows it over server-sent events. Closing the
 * tab stops only the following, never the job.
 */
export function startJob(kind: FleetJobKind, options: { concurrency?: number } = {}): Promise<{ job: FleetJob; started: boolean }> {
  return api.post<{ job: FleetJob; started: boolean }>('/jobs', { kind, options });
}

/** The newest job of a kind (a running one is picked up again when the page opens). */
export function useLatestJob(kind: FleetJobKind) {
  return useQuery({
    queryKey: queryKeys.jobs(kind),
    queryFn: ({ signal }) => api.get<{ jobs: FleetJob[] }>(`/jobs?kind=${kind}&limit=1`, signal).then((r) => r.jobs[0] ?? null),
  });
}

export function jobTenants(id: number, state: FleetJobTenantState): Promise<FleetJobDetail> {
  return api.get<FleetJobDetail>(`/jobs/${id}?state=${state}&limit=200`);
}

/**
 * The job as it runs: `initial` until the stream's first event, then each event's job. The stream
 * ends with the job; if it breaks, EventSource reconnects by itself. When the job ends, the lists it
 * changed are refreshed.
 */
export function useFollowJob(initial: FleetJob | null): FleetJob | null {
  const client = useQueryClient();
  // The stream's newest state of this job; `initial` until its first event.
  const [streamed, setJob] = useState<FleetJob | null>(null);
  const job = streamed && initial && streamed.id === initial.id ? streamed : initial;
  const id = initial?.id ?? null;
  const running = initial?.state === 'running';
  useEffect(() => {
    if (id === null || !running || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/platform/jobs/${id}/events`, { withCredentials: true });
    const take = (e: MessageEvent<string>) => setJob(JSON.parse(e.data) as FleetJob);
    source.addEventListener('job', take as EventListener);
    source.addEventListener('end', ((e: MessageEvent<string>) => {
      take(e);
      source.close();
      void client.invalidateQueries({ queryKey: queryKeys.fleetHealth });
      void client.invalidateQueries({ queryKey: queryKeys.tenants });
      void client.invalidateQueries({ queryKey: ['jobs'] });
      void client.invalidateQueries({ queryKey: ['operations'] });
    }) as EventListener);
    return () => source.close();
  }, [id, running, client]);
  return job;
}
