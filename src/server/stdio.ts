import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { MalformedScenarioError } from '../errors';
import { readImportDocument, readJsonText, readScenarioDocument, type Service } from './service';

/**
 * `idmatrix serve --stdio`: the protocol of a `cmd:` target on standard input and output, one JSON
 * document per line each way, answered in order: a scenario line by its result or
 * `{"malformed": "<path>: <message>"}`; `{"import": {...}}` by `{"imported": {...}}`; `{"health": {}}` by
 * `{"health": {...}}`. An empty line is skipped. Resolves when the input ends.
 */
export async function serveStdio(service: Service, input: Readable, output: Writable): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const answer = await answerLine(service, line);
    const text = `${JSON.stringify(answer)}\n`;
    if (!output.write(text)) await new Promise((resolve) => output.once('drain', resolve));
  }
}

async function answerLine(service: Service, line: string): Promise<unknown> {
  const parsed = readJsonText(line);
  if (!parsed.ok) return { malformed: `${parsed.path}: ${parsed.message}` };
  const doc = parsed.value;
  if (isObject(doc) && Object.keys(doc).length === 1 && 'health' in doc) return { health: service.health() };
  if (isObject(doc) && Object.keys(doc).length === 1 && 'import' in doc) {
    const request = readImportDocument(doc.import);
    if (!request.ok) return { malformed: `${prefixed('import', request.path)}: ${request.message}` };
    try {
      return { imported: await service.import(request.value) };
    } catch (error) {
      if (error instanceof MalformedScenarioError) return { malformed: `${prefixed('import', error.path)}: ${error.detail}` };
      throw error;
    }
  }
  const scenario = readScenarioDocument(doc);
  if (!scenario.ok) return { malformed: `${scenario.path}: ${scenario.message}` };
  return service.replay(scenario.value);
}

function prefixed(prefix: string, path: string): string {
  return path === '$' ? prefix : path.startsWith('$[') ? `${prefix}${path.slice(1)}` : `${prefix}.${path}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
