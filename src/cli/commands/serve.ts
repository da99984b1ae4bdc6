import { InvalidArgumentError as CommanderArgumentError, Option, type Command } from 'commander';
import type { ReadingProfile } from '../../domain';
import { BadInput } from '../exit';
import type { CliIO } from '../io';
import { readingOption } from '../options';
import { packageVersion } from '../version';

interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly reading?: ReadingProfile;
  readonly bodyLimit: number;
  readonly stdio?: boolean;
}

export function registerServe(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description(
      'Serve the reference engine as a target of the protocol: POST /replay (a scenario in, its result out; 400 {"error": {"path", "message"}} for a malformed one), POST /import (ADMIN-IMPORT), GET /health (says the reading). Runs until SIGTERM or SIGINT, finishing the requests under way',
    )
    .addOption(new Option('--port <n>', 'TCP port (0: any free port; the address is printed)').default(8080).argParser(integer('port', 0, 65535)))
    .option('--host <address>', 'address to listen on (loopback unless told otherwise)', '127.0.0.1')
    .addOption(readingOption())
    .addOption(new Option('--body-limit <bytes>', 'largest request body accepted').default(4 * 1024 * 1024, '4 MiB').argParser(integer('body limit', 1, 1024 * 1024 * 1024)))
    .option('--stdio', 'speak the protocol as JSON Lines on standard input and output instead (a cmd: target), until the input ends')
    .action(async (options: ServeOptions) => {
      const { Service } = await import('../../server/service');
      const service = new Service(options.reading ?? 'reference', packageVersion());
      if (options.stdio) {
        const { serveStdio } = await import('../../server/stdio');
        await serveStdio(service, process.stdin, process.stdout);
        return;
      }
      const { buildHttpServer } = await import('../../server/http');
      const app = await buildHttpServer(service, { bodyLimit: options.bodyLimit });
      let address: string;
      try {
        address = await app.listen({ port: options.port, host: options.host });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new BadInput(`cannot listen on ${options.host}:${options.port}: ${code ?? (error as Error).message}`);
      }
      io.stdout(`idmatrix serve: the reference engine (reading ${service.profile}) listens on ${address}: POST /replay, POST /import, GET /health\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          io.stdout(`idmatrix serve: ${signal}: finishing the requests under way\n`);
          void app.close().then(() => resolve());
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      io.stdout('idmatrix serve: stopped\n');
    });
}

function integer(what: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new CommanderArgumentError(`the ${what} is a whole number from ${min} to ${max}`);
    }
    return number;
  };
}
