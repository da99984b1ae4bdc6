import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, type GherkinDocument } from '@cucumber/messages';
import { readFeatureSources } from '../src/coverage/features';

/**
 * The feature files are read by product managers (../shared/conventions/gherkin.md): their titles,
 * descriptions and steps say things in plain words. The codes live in tags; the technical names in the
 * report's glossary. And a Scenario Outline's title has no <placeholder>, which the reports would show
 * raw (cucumber's HTML report and the JUnit names print the outline's own title).
 */

const JARGON: readonly [RegExp, string][] = [
  [/\b(SEED|DOC|INF|DISPUTED)\b/, 'a provenance code (say "the article", "Zendesk\'s help center", "our own reading")'],
  [/\bseed\b/i, '"the seed" (say "the article on these settings")'],
  [/hijack/i, 'the name of an attack (say what happens)'],
  [/trojan/i, 'the name of an attack (say what happens)'],
  [/\\u(?!0020|00A0|200B|0009|FEFF|202E)[0-9A-Fa-f]{4}/, 'an escape for a visible character (write the character and say what it is)'],
  [/\b(HS|RS|ES)\d{3}\b/, 'a signing method\'s technical name (the glossary has it)'],
  [/\bkey id\b|\bkid\b/i, '"key id" (say "signing key")'],
  [/\bJWT\b|\bJSON\b/, 'a format\'s name (say "token")'],
  [/@(reading|expected-to-differ|rule|setting|source|risk)\b/, 'a tag in the narrative'],
];

interface Text {
  readonly where: string;
  readonly text: string;
  readonly outline: boolean;
}

function textsOf(document: GherkinDocument, uri: string): Text[] {
  const texts: Text[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as { keyword?: string; name?: string; description?: string; text?: string; location?: { line: number } };
    const where = `${uri}:${record.location?.line ?? 0}`;
    const outline = record.keyword?.trim() === 'Scenario Outline';
    if (typeof record.name === 'string' && record.keyword !== undefined) texts.push({ where, text: record.name, outline });
    if (typeof record.description === 'string') texts.push({ where, text: record.description, outline: false });
    if (typeof record.text === 'string' && record.keyword !== undefined) texts.push({ where, text: record.text, outline: false });
    for (const [key, value] of Object.entries(node)) if (key !== 'tags' && key !== 'comments') visit(value);
  };
  visit(document.feature);
  return texts;
}

describe('feature files: plain words for a product reader', () => {
  const texts = readFeatureSources(join(__dirname, '..')).flatMap((feature) => {
    const envelopes = generateMessages(feature.text, feature.uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
      includeSource: false,
      includeGherkinDocument: true,
      includePickles: false,
      newId: IdGenerator.incrementing(),
    });
    const document = envelopes.find((envelope) => envelope.gherkinDocument)?.gherkinDocument;
    assert.ok(document, `${feature.uri} parses`);
    return textsOf(document, feature.uri);
  });

  it('reads every title, description and step of the feature files', () => {
    assert.ok(texts.length > 500, `only ${texts.length} texts`);
  });

  it('no title, description or step uses jargon', () => {
    const found = texts.flatMap((entry) =>
      JARGON.filter(([pattern]) => pattern.test(entry.text)).map(([, why]) => `${entry.where}: ${why}: ${entry.text.trim().split('\n')[0]}`),
    );
    assert.deepEqual(found, []);
  });

  it('no Scenario Outline title has a <placeholder>', () => {
    const found = texts.filter((entry) => entry.outline && /<[^>]+>/.test(entry.text)).map((entry) => `${entry.where}: ${entry.text}`);
    assert.deepEqual(found, []);
  });
});
