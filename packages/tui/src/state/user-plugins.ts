import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, makeDirs, PluginError } from '@lifeboat/core';

/**
 * The user plugins folder is a small npm project under the state root: `lifeboat plugins add` is `npm install`
 * there. Plugins resolve `@lifeboat/plugin-api` (and, for plugins written before it existed, `@lifeboat/core`) to
 * the running Lifeboat's own copy (a link), so there is exactly one API in the process: the error classes a plugin
 * throws are the ones core knows.
 */
export async function userPluginDirs(pluginsDir: string): Promise<string[]> {
  const manifest = join(pluginsDir, 'package.json');
  if (!existsSync(manifest)) return [];
  const pkg = JSON.parse(await readFile(manifest, 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).map((name) => join(pluginsDir, 'node_modules', ...name.split('/')));
}

function npm(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    // npm gets its own settings (npm_config_*, an .npmrc's token variables are the user's to pass that way), never
    // Lifeboat's environment, which may hold secrets.
    const child = spawn('npm', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv({}, { prefixes: ['npm_config_', 'NPM_CONFIG_'] }),
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ code: 127, output: String(error) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function ensureProject(pluginsDir: string) {
  await makeDirs(pluginsDir);
  const manifest = join(pluginsDir, 'package.json');
  if (!existsSync(manifest)) {
    await writeFile(
      manifest,
      `${JSON.stringify({ name: 'lifeboat-user-plugins', private: true, dependencies: {} }, null, 2)}\n`,
    );
  }
}

async function linkCore(pluginsDir: string) {
  const packages = {
    'plugin-api': import.meta.resolve('@lifeboat/plugin-api/package.json'),
    core: import.meta.resolve('@lifeboat/core/package.json'),
  };
  for (const [name, url] of Object.entries(packages)) {
    const dir = dirname(fileURLToPath(url));
    const link = join(pluginsDir, 'node_modules', '@lifeboat', name);
    await makeDirs(dirname(link));
    await rm(link, { recursive: true, force: true });
    await symlink(dir, link, 'dir');
  }
}

/**
 * Installs a plugin from the npm registry or a folder; returns the names npm added. Install scripts of the plugin
 * and its dependencies do not run unless `allowScripts`: a plugin is plain JavaScript and needs none.
 */
export async function installPlugin(
  pluginsDir: string,
  spec: string,
  { allowScripts = false }: { allowScripts?: boolean } = {},
): Promise<string[]> {
  await ensureProject(pluginsDir);
  const before = new Set(await userPluginDirs(pluginsDir));
  // --install-links copies a folder rather than linking it, so the plugin keeps working if the folder moves;
  // --legacy-peer-deps stops npm fetching @lifeboat/plugin-api, which is linked to this Lifeboat's own copy instead.
  const result = await npm(
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--install-links',
      '--legacy-peer-deps',
      ...(allowScripts ? [] : ['--ignore-scripts']),
      '--save',
      spec,
    ],
    pluginsDir,
  );
  if (result.code !== 0) {
    throw new PluginError(`npm could not install "${spec}": ${result.output.trim().split('\n').slice(-3).join(' ')}`, {
      hint: 'Check the package name or folder, and that the folder holds a built plugin (package.json + dist/)',
    });
  }
  await linkCore(pluginsDir);
  return (await userPluginDirs(pluginsDir)).filter((d) => !before.has(d));
}

export async function uninstallPlugin(pluginsDir: string, packageName: string): Promise<void> {
  if (packageName === '')
    throw new PluginError('Cannot tell which npm package to remove', {
      hint: 'Remove it from the plugins folder by hand',
    });
  const result = await npm(['uninstall', '--no-audit', '--no-fund', '--legacy-peer-deps', packageName], pluginsDir);
  if (result.code !== 0) {
    throw new PluginError(
      `npm could not remove ${packageName}: ${result.output.trim().split('\n').slice(-2).join(' ')}`,
    );
  }
  if (existsSync(join(pluginsDir, 'node_modules', ...packageName.split('/')))) {
    throw new PluginError(`npm reported success but ${packageName} is still installed in ${pluginsDir}`);
  }
  await linkCore(pluginsDir);
}
