// A deterministic synthetic corpus of French-news-like articles and their canonical sidecars:
// the same seed gives the same bytes on every machine. Written once into the OS temp directory
// and reused by later runs (a `.complete` marker says the directory is whole).
//
// Texts: sentences of 12–38 words from a French vocabulary (accents, ’ elisions), « quotations »
// with no-break spaces inside, numbers, now and then an emoji (astral characters, so code point
// and UTF-16 offsets differ), paragraphs of 3–6 sentences. Entities: about one mention every 10
// words (persons, organisations, places, dates, events, misc.), with the fields real sidecars
// have (`by`, `src`, now and then `note` and `attrs: {kb: …}`); a few dates hold a no-break space
// (written `\u00A0` in the sidecar).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { core, isMain } from './common.mjs';

/** Bumped whenever the generator changes, so a stale cached corpus is never reused. */
export const GENERATOR_VERSION = 1;

/** The recommender's seeded generator (mulberry32): one implementation of the same sequence. */
export const prng = (seed) => core.hash.seededRandom(seed);

const WORDS = (
  'le la les un une des du de et à en dans pour avec sur par selon après avant depuis contre sans sous entre vers '
  + 'a été était sera ont avait doit peut pourrait selon lors alors ainsi encore déjà très plus moins aussi même '
  + 'sécurité coopération enquête région ministère réunion déclaration élections économie société année communiqué '
  + 'préfecture député gouvernement procès tribunal journée événement français européenne près où autorités police '
  + 'nationale manifestation réforme retraites budget hausse baisse prix énergie électricité écoles élèves hôpital '
  + 'médecins grève syndicats négociations accord présidente président opposition majorité vote loi projet '
  + 'quartier habitants maire conseil municipal rénovation travaux chantier transports réseau trafic incident '
  + 'témoins victimes secours pompiers gendarmes enquêteurs parquet garde vue procédure décision appel '
  + 'climat sécheresse inondations agriculteurs récolte été hiver printemps automne température degrés '
  + 'entreprise salariés emplois chômage croissance investissement marché bourse résultats bénéfices pertes '
  + 'd’après qu’il qu’elle l’an l’État l’ensemble d’ici jusqu’à aujourd’hui lorsqu’il'
).split(' ');

const ENTITIES = {
  PER: ['Emmanuel Macron', 'Élisabeth Borne', 'Abdellatif Hammouchi', 'Jean-Luc Mélenchon', 'Marine Le Pen', 'Gérald Darmanin', 'Anne Hidalgo',
    'François Bayrou', 'Rachida Dati', 'Éric Dupond-Moretti', 'Ségolène Royal', 'Aya Nakamura', 'Kylian Mbappé', 'Thomas Pesquet', 'Zinédine Zidane',
    'Jean d’Ormesson', 'Hélène Carrère d’Encausse', 'Noël Le Graët', 'Agnès Buzyn', 'Benoît Hamon', 'Laftit', 'Mme Lefèvre', 'Chloé Bénard'],
  ORG: ['Interpol', 'DGSN', 'Assemblée nationale', 'Conseil constitutionnel', 'SNCF', 'Banque de France', 'Commission européenne',
    'Ligue des droits de l’homme', 'Médecins sans frontières', 'Cour de cassation', 'Organisation mondiale de la santé', 'Renault',
    'TotalÉnergies', 'Le Monde', 'Agence France-Presse', 'Météo-France', 'Pôle emploi', 'CGT', 'Sénat', 'Crédit agricole'],
  LOC: ['Paris', 'Marseille', 'Lyon', 'Rabat', 'Île-de-France', 'Bouches-du-Rhône', 'Genève', 'Bruxelles', 'Côte d’Ivoire', 'Nouvelle-Calédonie',
    'Saint-Étienne', 'La Réunion', 'Guadeloupe', 'Montréal', 'Québec', 'Sénégal', 'Algérie', 'Méditerranée', 'Grenoble', 'Besançon', 'Nîmes', 'Orléans'],
  EVENT: ['Jeux olympiques de Paris 2024', 'Tour de France', 'Festival de Cannes', 'COP28', 'Fête de la musique', 'Coupe du monde de rugby', 'Roland-Garros'],
  MISC: ['Légion d’honneur', 'prix Goncourt', 'Covid-19', 'TGV', 'Livret A', 'euro', 'Pass Navigo'],
};
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const EMOJI = ['😀', '🇫🇷', '👏', '🔥', '⚽', '📉', '🙏'];
const ANNOTATORS = ['amina', 'jdupont', 'l.martin'];
const STATUS_WEIGHTS = [['todo', 0.15], ['in-progress', 0.3], ['done', 0.4], ['reviewed', 0.15]];
const LABEL_WEIGHTS = [['PER', 0.28], ['ORG', 0.24], ['LOC', 0.26], ['DATE', 0.14], ['EVENT', 0.04], ['MISC', 0.04]];
/** Every label the generated sidecars use (the configuration to validate them with). */
export const LABELS = LABEL_WEIGHTS.map(([label]) => label);

function weighted(rand, pairs) {
  let r = rand();
  for (const [v, w] of pairs) if ((r -= w) < 0) return v;
  return pairs[pairs.length - 1][0];
}

const ID_FIRST = 'abcdefghijklmnopqrstuvwxyz';
const ID_REST = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * One article with `entityCount` entities: { text, sidecar } (sidecar a model; its sha256 is the
 * article's UTF-8 bytes'). `name` is the article's file name.
 */
export function makeDocument(rand, name, entityCount) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const parts = [];
  let cp = 0;
  const add = (s) => {
    parts.push(s);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff) cp++; // a high surrogate's pair counts once, on its low half
    }
  };
  const entities = [];
  const ids = new Set();
  const mention = () => {
    const label = weighted(rand, LABEL_WEIGHTS);
    let surface;
    if (label === 'DATE') {
      const r = rand();
      surface = r < 0.4 ? `${1 + Math.floor(rand() * 28)}${rand() < 0.1 ? '\u00a0' : ' '}${pick(MONTHS)} ${2015 + Math.floor(rand() * 11)}`
        : r < 0.7 ? `${pick(DAYS)} ${1 + Math.floor(rand() * 28)} ${pick(MONTHS)}` : pick(DAYS);
    } else surface = pick(ENTITIES[label]);
    const start = cp;
    add(surface);
    let id;
    do {
      id = ID_FIRST[Math.floor(rand() * 26)];
      for (let i = 1; i < 6; i++) id += ID_REST[Math.floor(rand() * 36)];
    } while (ids.has(id));
    ids.add(id);
    const e = { id, label, start, end: cp, text: surface };
    const r = rand();
    if (r < 0.03) e.note = pick(['vérifier l’orthographe', '« ambigu » : personne ou organisation ?', 'cf. article du 12 mai', 'nom d’usage "officiel"']);
    if ((label === 'PER' || label === 'ORG' || label === 'LOC') && rand() < 0.12) {
      e.attrs = rand() < 0.3 ? { canonical: surface, kb: `wikidata:Q${Math.floor(rand() * 9e6)}` } : { kb: `wikidata:Q${Math.floor(rand() * 9e6)}` };
    }
    e.by = pick(ANNOTATORS);
    e.src = label === 'DATE' && rand() < 0.5 ? 'pattern:dates' : rand() < 0.8 ? 'manual' : rand() < 0.7 ? 'propagated' : 'import:conll';
    entities.push(e);
  };
  // Title line, then paragraphs.
  const titleWord = pick(WORDS);
  add(`${titleWord[0].toUpperCase()}${titleWord.slice(1)} : `);
  mention();
  add('\n\n');
  let sentencesInParagraph = 0;
  let paragraphLength = 3 + Math.floor(rand() * 4);
  while (entities.length < entityCount) {
    const words = 12 + Math.floor(rand() * 27);
    const quoteAt = rand() < 0.15 ? Math.floor(rand() * words) : -1;
    let first = true;
    for (let w = 0; w < words && entities.length < entityCount; w++) {
      if (w === quoteAt) add(rand() < 0.5 ? '«\u00a0' : '« ');
      if (rand() < 0.1) mention();
      else {
        const word = rand() < 0.04 ? String(Math.floor(rand() * 2000)) : pick(WORDS);
        add(first ? word[0].toUpperCase() + word.slice(1) : word);
      }
      first = false;
      if (w === quoteAt) add(rand() < 0.5 ? '\u00a0»' : ' »');
      if (rand() < 0.01) add(` ${pick(EMOJI)}`);
      add(w + 1 < words ? (rand() < 0.08 ? ', ' : ' ') : '');
    }
    add(rand() < 0.9 ? '. ' : ' ? ');
    if (++sentencesInParagraph >= paragraphLength) {
      add('\n\n');
      sentencesInParagraph = 0;
      paragraphLength = 3 + Math.floor(rand() * 4);
    }
  }
  add('\n');
  const text = parts.join('');
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const sidecar = { version: 1, document: name, sha256, status: weighted(rand, STATUS_WEIGHTS), entities };
  return { name, text, sidecar };
}

/** Where generated corpora live: a fixed folder of the OS temp directory. */
export function cacheDir() {
  return process.env.BENCH_DIR || path.join(os.tmpdir(), 'corpus-annotator-bench');
}

/**
 * A corpus of `documents` articles with `perDocument` entities each, on disk (article, sidecar
 * and the sidecar's model as JSON per document, in folders of 1000), generated on first use — in
 * a child process when `inChild`, so that the caller's memory figures do not include it.
 * Returns its directory and the article paths.
 */
export function ensureCorpus({ documents = 10_000, perDocument = 100, seed = 42, inChild = false } = {}) {
  const dir = path.join(cacheDir(), `v${GENERATOR_VERSION}-corpus-s${seed}-${documents}x${perDocument}`);
  const articles = [];
  for (let i = 0; i < documents; i++) articles.push(path.join(dir, `part${String(Math.floor(i / 1000)).padStart(2, '0')}`, `article-${String(i).padStart(5, '0')}.txt`));
  if (fs.existsSync(path.join(dir, '.complete'))) return { dir, articles };
  if (inChild) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), String(documents), String(perDocument), String(seed)], { stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(path.join(dir, '.complete'))) throw new Error('generating the corpus failed');
    return { dir, articles };
  }
  const t0 = Date.now();
  process.stderr.write(`generating ${documents} × ${perDocument} entities into ${dir} … `);
  fs.rmSync(dir, { recursive: true, force: true });
  const rand = prng(seed);
  try {
    for (let i = 0; i < documents; i++) {
      const file = articles[i];
      if (i % 1000 === 0) fs.mkdirSync(path.dirname(file), { recursive: true });
      const doc = makeDocument(rand, path.basename(file), perDocument);
      fs.writeFileSync(file, doc.text);
      fs.writeFileSync(file + '.ann.yaml', core.write.writeSidecar(doc.sidecar));
      fs.writeFileSync(file + '.json', JSON.stringify(doc.sidecar)); // the baselines' twin
    }
    fs.writeFileSync(path.join(dir, '.complete'), '');
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true }); // never leave half a corpus behind
    throw e;
  }
  process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return { dir, articles };
}

/**
 * One large document with `entityCount` entities, on disk: its article, canonical sidecar and the
 * same sidecar model as JSON (the load baseline). Generated on first use.
 */
export function ensureLargeDocument(entityCount, seed = 7) {
  const dir = path.join(cacheDir(), `v${GENERATOR_VERSION}-large-s${seed}-${entityCount}`);
  const article = path.join(dir, `large-${entityCount}.txt`);
  const files = { dir, article, sidecar: article + '.ann.yaml', json: article + '.json' };
  if (fs.existsSync(path.join(dir, '.complete'))) return files;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    const doc = makeDocument(prng(seed), path.basename(article), entityCount);
    fs.writeFileSync(article, doc.text);
    fs.writeFileSync(files.sidecar, core.write.writeSidecar(doc.sidecar));
    fs.writeFileSync(files.json, JSON.stringify(doc.sidecar));
    fs.writeFileSync(path.join(dir, '.complete'), '');
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return files;
}

// `node bench/lib/corpus.mjs <documents> <perDocument> <seed>` generates a corpus (ensureCorpus's child).
if (isMain(import.meta.url)) {
  const [documents, perDocument, seed] = process.argv.slice(2).map(Number);
  ensureCorpus({ documents, perDocument, seed });
}
