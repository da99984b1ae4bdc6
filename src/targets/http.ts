import http from 'node:http';
import https from 'node:https';
import { readHealth } from '../replay/protocol';
import type { ReplayResult, Scenario } from '../replay/types';
import { NotSupported, TargetFailure, type ImportFile, type ImportRun, type Target, type TargetInfo } from './target';

/**
 * `http://host:port` (or https): a running service speaking the protocol (src/replay/schema/protocol.schema.json).
 * POST /replay with a scenario answers its result (200) or `{"error": {"path", "message"}}` (400);
 * POST /import is optional (a target that serves it says so in GET /health, or answers it at all: a 404
 * or 405 means not supported); GET /health says what the target is. Connections are kept alive.
 */
export function httpTarget(base: string, timeoutMs: number): Target {
  const root = base.replace(/\/+$/, '');
  let info: Promise<TargetInfo> | null = null;
  let importKnownMissing = false;

  const agentOptions = { keepAlive: true, maxSockets: 8 };
  const agent = root.startsWith('https:') ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const client = root.startsWith('https:') ? https : http;

  // node:http with a kept-alive agent: about half the time per request of fetch (undici) for a POST body.
  function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
      const outgoing = client.request(`${root}${path}`, { method, agent, headers, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(new TargetFailure('crash', `${method} ${root}${path} failed: ${error.message}`)));
      });
      outgoing.on('timeout', () => outgoing.destroy(new TargetFailure('timeout', `no answer to ${method} ${path} within ${timeoutMs / 1000} s`)));
      outgoing.on('error', (error: Error & { code?: string }) =>
        reject(error instanceof TargetFailure ? error : new TargetFailure('crash', `${method} ${root}${path} failed: ${error.code ?? error.message}`)),
      );
      outgoing.end(payload);
    });
  }

  function parse(method: string, path: string, answer: { status: number; text: string }): unknown {
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      throw new TargetFailure('bad-answer', `${method} ${path} answered ${answer.status} with a body that is not JSON: ${preview(answer.text)}`);
    }
  }

  /** 200: the document; 400: the target calls the request malformed; anything else a bad answer. */
  async function post(path: string, body: unknown): Promise<unknown> {
    const answer = await request('POST', path, body);
    if (answer.status === 200) return parse('POST', path, answer);
    if (answer.status === 400) {
      const doc = parse('POST', path, answer) as { error?: { path?: unknown; message?: unknown } };
      if (typeof doc.error?.path === 'string' && typeof doc.error.message === 'string') {
        throw new TargetFailure('refused', `the target calls the request malformed: ${doc.error.path}: ${doc.error.message}`);
      }
      throw new TargetFailure('bad-answer', `POST ${path} answered 400 without {"error": {"path", "message"}}: ${preview(answer.text)}`);
    }
    throw new TargetFailure('bad-answer', `POST ${path} answered ${answer.status}: ${preview(answer.text)}`);
  }

  return {
    name: root,
    info() {
      info ??= (async () => {
        try {
          const answer = await request('GET', '/health');
          const declared = answer.status === 200 ? readHealth(parse('GET', '/health', answer)) : null;
          return declared ?? { reading: null, supportsImport: true, name: null };
        } catch {
          return { reading: null, supportsImport: true, name: null };
        }
      })();
      return info;
    },
    replay: async (scenario: Scenario) => (await post('/replay', scenario)) as ReplayResult,
    async importUsers(scenario: Scenario, files: readonly ImportFile[]): Promise<ImportRun> {
      const declared = await this.info();
      if (!declared.supportsImport || importKnownMissing) throw new NotSupported('ADMIN-IMPORT (POST /import)');
      const answer = await request('POST', '/import', { scenario, files });
      if (answer.status === 404 || answer.status === 405) {
        importKnownMissing = true;
        throw new NotSupported('ADMIN-IMPORT (POST /import)');
      }
      if (answer.status === 200) return parse('POST', '/import', answer) as ImportRun;
      if (answer.status === 400) {
        const doc = parse('POST', '/import', answer) as { error?: { path?: unknown; message?: unknown } };
        if (typeof doc.error?.path === 'string') throw new TargetFailure('refused', `the target calls the import malformed: ${doc.error.path}: ${String(doc.error.message)}`);
      }
      throw new TargetFailure('bad-answer', `POST /import answered ${answer.status}: ${preview(answer.text)}`);
    },
    close: async () => agent.destroy(),
  };
}

/** The first line of an answer, cut at 200 characters, for a failure message. */
export function preview(text: string): string {
  const line = text.split('\n')[0] ?? '';
  const cut = line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return cut === '' ? '(empty)' : JSON.stringify(cut);
}
