import Fastify, { type FastifyInstance } from 'fastify';
import { MalformedScenarioError } from '../errors';
import { isHealth, validateImportResponse } from '../replay/protocol';
import protocolSchema from '../replay/schema/protocol.schema.json';
import resultSchema from '../replay/schema/result.schema.json';
import scenarioSchema from '../replay/schema/scenario.schema.json';
import { validateResult } from '../replay/validate';
import { readImportDocument, readJsonText, readScenarioDocument, type Service } from './service';

export interface HttpOptions {
  /** The largest request body accepted, in bytes. */
  readonly bodyLimit: number;
}

export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

const MALFORMED = { $ref: 'https://idmatrix.dev/schema/protocol.schema.json#/$defs/malformed' };

/** A refused request: one JSON path and one sentence, as replay.md's one-line errors. */
class Refused extends Error {
  constructor(
    readonly statusCode: number,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/**
 * `idmatrix serve`: the reference engine behind fastify. The project's JSON Schemas are the routes'
 * request and response schemas: requests are read with the scenario file's strict JSON reader and
 * validated by the project's validators (which apply those schemas, then the checks a schema cannot
 * make), and every answer is validated against its schema before it is sent. A malformed request gets
 * 400 `{"error": {"path", "message"}}`; a body over the limit 413; anything else that fails, 500.
 */
export async function buildHttpServer(service: Service, options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit, forceCloseConnections: 'idle', return503OnClosing: true });

  app.addSchema(scenarioSchema);
  app.addSchema(resultSchema);
  app.addSchema(protocolSchema);

  // The body is read as text and parsed strictly (a member given twice is malformed, not last-one-wins).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => {
    const parsed = readJsonText(body as string);
    if (parsed.ok) done(null, parsed.value);
    else done(new Refused(400, parsed.path, parsed.message), undefined);
  });

  // Route schemas are the project's; the project's validators apply them (and what a schema cannot say).
  app.setValidatorCompiler(({ schema }) => {
    const id = (schema as { $id?: string; $ref?: string }).$ref ?? (schema as { $id?: string }).$id;
    const read = id?.endsWith('importRequest') ? readImportDocument : readScenarioDocument;
    return (data: unknown) => {
      const parsed = read(data);
      return parsed.ok ? { value: parsed.value } : { error: new Refused(400, parsed.path, parsed.message) };
    };
  });
  app.setSerializerCompiler(({ schema }) => {
    const id = (schema as { $id?: string; $ref?: string }).$ref ?? (schema as { $id?: string }).$id ?? '';
    const validate = id.endsWith('result.schema.json')
      ? validateResult
      : id.endsWith('importResponse')
        ? (doc: unknown) => void validateImportResponse(doc)
        : id.endsWith('health')
          ? (doc: unknown) => {
              if (!isHealth(doc)) throw new Error('the health answer does not follow protocol.schema.json');
            }
          : () => undefined;
    return (data: unknown) => {
      validate(data);
      return JSON.stringify(data);
    };
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof Refused) return reply.code(error.statusCode).send({ error: { path: error.path, message: error.detail } });
    const code = (error as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ error: { path: '$', message: `the request body is larger than ${options.bodyLimit} bytes (idmatrix serve --body-limit)` } });
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ error: { path: '$', message: 'send the document as application/json' } });
    }
    if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return reply.code(400).send({ error: { path: '$', message: 'the request body is empty' } });
    process.stderr.write(`idmatrix serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return reply.code(500).send({ error: { path: '$', message: 'internal error of the reference engine (see the server log)' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { path: '$', message: `no ${request.method} ${request.url}; the routes are POST /replay, POST /import, GET /health` } }),
  );

  app.post('/replay', { schema: { body: { $ref: 'https://idmatrix.dev/schema/scenario.schema.json' }, response: { 200: { $ref: 'https://idmatrix.dev/schema/result.schema.json' }, 400: MALFORMED } } }, (request) =>
    service.replay(request.body as never),
  );
  app.post(
    '/import',
    {
      schema: {
        body: { $ref: 'https://idmatrix.dev/schema/protocol.schema.json#/$defs/importRequest' },
        response: { 200: { $ref: 'https://idmatrix.dev/schema/protocol.schema.json#/$defs/importResponse' }, 400: MALFORMED },
      },
    },
    async (request) => {
      try {
        return await service.import(request.body as never);
      } catch (error) {
        // A file that cannot be read at all (no header, an unknown column) is a malformed request.
        if (error instanceof MalformedScenarioError) throw new Refused(400, error.path, error.detail);
        throw error;
      }
    },
  );
  app.get('/health', { schema: { response: { 200: { $ref: 'https://idmatrix.dev/schema/protocol.schema.json#/$defs/health' } } } }, () => service.health());
  return app;
}
