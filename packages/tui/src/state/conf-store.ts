import { readFileSync } from 'node:fs';
import { CONFIG_SCHEMA, ConfigError, type ConfigStore, type LifeboatConfig, makeDirsSync } from '@lifeboat/core';
import Conf from 'conf';

/**
 * The config file, through `conf` with a JSON schema. A corrupt or invalid file is reported with its path and
 * the field at fault and left exactly as it is: never reset, since resetting would lose the user's settings.
 */
export class ConfConfigStore implements ConfigStore {
  readonly path: string;
  private conf: Conf<LifeboatConfig> | undefined;

  constructor(private readonly dir: string) {
    this.path = `${dir}/config.json`;
  }

  private open(): Conf<LifeboatConfig> {
    if (this.conf) return this.conf;
    try {
      // conf creates a missing folder with Node's recursive mkdir, which never returns under /proc-like paths.
      makeDirsSync(this.dir);
      this.refuseNonObject();
      this.conf = new Conf<LifeboatConfig>({
        projectName: 'lifeboat',
        cwd: this.dir,
        configName: 'config',
        schema: CONFIG_SCHEMA as never,
        // Our own constant schema, covered by the config tests: checking it against JSON Schema's meta-schema would
        // compile that meta-schema first, at every start of the CLI.
        ajvOptions: { validateSchema: false },
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
      });
      return this.conf;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * `conf` reads valid JSON that is not an object (`null`, `42`, `[...]`) as an empty config, and the next change
   * would then overwrite the file: refuse it instead, leaving it as it is.
   */
  private refuseNonObject(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8').replace(/^\uFEFF/, ''); // conf skips a byte order mark too
    } catch {
      return; // missing (first use) or unreadable: conf reports the latter with its own words
    }
    if (text.trim() === '') return; // conf treats an empty file as a new config
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw this.explain(error);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      const what = parsed === null ? 'null' : Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`;
      throw new ConfigError(`The config file ${this.path} holds ${what}, not an object of settings`, {
        hint: 'Fix the file by hand (it should look like {"sources": {...}, "destinations": {...}, "plans": {...}}) or restore it from a backup; Lifeboat left it untouched',
      });
    }
  }

  private explain(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof SyntaxError) {
      return new ConfigError(`The config file ${this.path} is not valid JSON`, {
        hint: 'Fix the file by hand or restore it from a backup; Lifeboat left it untouched',
      });
    }
    if (/schema violation/i.test(message)) {
      return new ConfigError(
        `The config file ${this.path} is invalid: ${message.replace(/^Config schema violation: /, '')}`,
        {
          hint: 'Fix that field by hand; Lifeboat left the file untouched',
        },
      );
    }
    return new ConfigError(`Cannot use the config file ${this.path}: ${message}`, {
      hint: 'Check the folder exists and is writable',
    });
  }

  read(): LifeboatConfig {
    const conf = this.open();
    try {
      return { sources: conf.get('sources'), destinations: conf.get('destinations'), plans: conf.get('plans') };
    } catch (error) {
      throw this.explain(error);
    }
  }

  write(config: LifeboatConfig): void {
    try {
      this.open().store = config;
    } catch (error) {
      throw this.explain(error);
    }
  }
}
