import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureSource } from './gate';

/** Every `features/**\/*.feature` file under `root`, sorted, named by its POSIX path from `root`; none when there is no features/. */
export function readFeatureSources(root: string): FeatureSource[] {
  const featuresDir = path.join(root, 'features');
  let files: string[];
  try {
    files = (readdirSync(featuresDir, { recursive: true }) as string[]).filter((file) => file.endsWith('.feature')).sort();
  } catch {
    return [];
  }
  return files.map((file) => ({
    uri: path.posix.join('features', file.split(path.sep).join('/')),
    text: readFileSync(path.join(featuresDir, file), 'utf8'),
  }));
}
