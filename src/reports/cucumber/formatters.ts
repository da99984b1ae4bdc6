import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Formatter, formatterHelpers, JsonFormatter, type IFormatterOptions } from '@cucumber/cucumber';
import type { Envelope } from '@cucumber/messages';
import { honestEnvelopes } from './honest';

/**
 * The formatters of `npm run verify` (cucumber.js): cucumber's own HTML, JUnit, JSON and message
 * formatters, each fed the honest form of the run's messages (./honest.ts) instead of the raw one. The
 * run's messages are held until the run finishes (the After hook that records which statements did not
 * hold runs after those steps were reported), then transformed and handed over in order.
 *
 * cucumber-js loads a formatter with import(), which cannot load TypeScript: the files of ./formatters/
 * are the CommonJS entry points, each handing over to one of these.
 */

interface PluginContext {
  readonly on: (key: 'message', handler: (envelope: Envelope) => void) => void;
  readonly options: unknown;
  readonly write: (chunk: string | Uint8Array) => void;
  readonly [other: string]: unknown;
}

export interface FormatterPlugin {
  readonly type: 'formatter';
  readonly formatter: (context: PluginContext) => unknown;
  readonly optionsKey?: string;
}

/** Calls `flush` with the honest messages once the run has finished. */
export function onHonestRun(on: PluginContext['on'], flush: (envelopes: readonly Envelope[]) => void): void {
  const held: Envelope[] = [];
  on('message', (envelope) => {
    held.push(envelope);
    if (envelope.testRunFinished) flush(honestEnvelopes(held));
  });
}

/** `inner`, fed the honest messages. */
export function honestPlugin(inner: FormatterPlugin): FormatterPlugin {
  return {
    type: 'formatter',
    ...(inner.optionsKey !== undefined ? { optionsKey: inner.optionsKey } : {}),
    formatter(context) {
      const handlers: ((envelope: Envelope) => void)[] = [];
      const cleanup = inner.formatter({ ...context, on: (_key, handler) => handlers.push(handler) });
      onHonestRun(context.on, (envelopes) => {
        for (const envelope of envelopes) for (const handler of handlers) handler(envelope);
      });
      return cleanup;
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtinHtml = (require('@cucumber/cucumber/lib/formatter/builtin/html') as { default: FormatterPlugin }).default;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builtinJunit = (require('@cucumber/junit-xml-formatter') as { default: FormatterPlugin }).default;

export const html = honestPlugin(builtinHtml);
export const junit = honestPlugin(builtinJunit);

/** messages.ndjson: the honest messages, one JSON document per line (what `npm run report` reads). */
export const message: FormatterPlugin = {
  type: 'formatter',
  formatter({ on, write }) {
    onHonestRun(on, (envelopes) => {
      for (const envelope of envelopes) write(`${JSON.stringify(envelope)}\n`);
    });
  },
};

/** cucumber.json: cucumber's legacy JSON formatter, listening to the honest messages. */
export class HonestJsonFormatter extends Formatter {
  static override readonly documentation = 'cucumber JSON, with the statements of another reading that do not hold marked as such';

  constructor(options: IFormatterOptions) {
    super(options);
    const honest = new EventEmitter();
    const collector = new formatterHelpers.EventDataCollector(honest);
    new JsonFormatter({ ...options, eventBroadcaster: honest, eventDataCollector: collector });
    const held: Envelope[] = [];
    options.eventBroadcaster.on('envelope', (envelope: Envelope) => {
      held.push(envelope);
      if (envelope.testRunFinished) for (const transformed of honestEnvelopes(held)) honest.emit('envelope', transformed);
    });
  }
}

/**
 * index.html: the scenario report (src/reports/scenario-report/), written at the end of the run from the
 * honest messages; also reports/target.json, so that `npm run report` can write it again later.
 */
export const index: FormatterPlugin = {
  type: 'formatter',
  formatter({ on, write, directory }) {
    onHonestRun(on, (envelopes) => {
      // Loaded here, so that the other formatters do not pay for the report's modules.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { buildIndex, targetFromEnv, TARGET_FILE } = require('../scenario-report/build') as typeof import('../scenario-report/build');
      const reportsDir = typeof directory === 'string' ? directory : 'reports';
      const target = targetFromEnv();
      writeFileSync(join(reportsDir, TARGET_FILE), `${JSON.stringify(target, null, 2)}\n`);
      write(buildIndex({ reportsDir, envelopes, target }));
    });
  },
};
