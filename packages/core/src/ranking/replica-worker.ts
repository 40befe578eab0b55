import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Matcher } from '../matcher.js';
import type { Company, PartnerNeed } from '../schema/records.js';
import { restoreWithOptions } from '../snapshot/snapshot.js';
import { REPLICA_GENERATION, type JsonMatch, type ReplicaReply, type ReplicaRequest } from './replica.js';
import type { Match } from './types.js';

// The worker of `openMatcherReplica`: the matcher's copy, changed and asked in the order the
// main thread posts. A write that fails leaves the copy unlike the matcher: the replica then
// reports failed and answers nothing more.
const port = parentPort!;
let matcher: Matcher | undefined;
let broken = false;
let init: Extract<ReplicaRequest, { op: 'init' }> | undefined;
let companies: Company[] = [];
let needs: PartnerNeed[] = [];

const reply = (message: ReplicaReply): void => port.postMessage(message);

function fail(error: unknown): void {
  broken = true;
  reply({ op: 'failed', error: error instanceof Error ? error.message : String(error) });
}

function asJson({ id: _deprecated, ...match }: Match): JsonMatch {
  return { needId: match.needId, companyId: match.companyId, json: JSON.stringify(match) };
}

function restore(): void {
  try {
    const { snapshot, options, versions } = init!;
    const [bytes, generation] = snapshot instanceof Uint8Array ? [snapshot, REPLICA_GENERATION] : [readFileSync(snapshot.path), snapshot.generation];
    matcher = restoreWithOptions(bytes, options, { generation, versions }, companies, needs);
    // The matcher holds the records now; the arrays are not needed again.
    companies = [];
    needs = [];
    reply({ op: 'ready' });
  } catch (error) {
    fail(error);
  }
}

port.on('message', (request: ReplicaRequest) => {
  if (broken) return;
  switch (request.op) {
    case 'init':
      init = request;
      if (init.companyCount + init.needCount === 0) restore();
      return;
    case 'records':
      companies.push(...request.companies);
      needs.push(...request.needs);
      if (companies.length + needs.length === init!.companyCount + init!.needCount) restore();
      return;
    case 'put':
      try {
        const held = request.kind === 'company' ? matcher!.getCompany(request.record.id) : matcher!.getNeed(request.record.id);
        if (request.kind === 'company') matcher![held === undefined ? 'add' : 'update']('company', request.record);
        else matcher![held === undefined ? 'add' : 'update']('need', request.record);
      } catch (error) {
        fail(error);
      }
      return;
    case 'remove':
      try {
        if (!matcher!.remove(request.kind, request.id)) fail(new Error(`${request.kind} ${JSON.stringify(request.id)} was not in the replica`));
      } catch (error) {
        fail(error);
      }
      return;
    case 'rank':
      try {
        const matches = request.kind === 'need' ? matcher!.rankCompanies(request.id, request.options) : matcher!.rankNeeds(request.id, request.options);
        reply({ op: 'ranked', request: request.request, matches: request.json ? matches.map(asJson) : matches });
      } catch (error) {
        reply({ op: 'rank-failed', request: request.request, error: error instanceof Error ? error.message : String(error) });
      }
      return;
  }
});
