// The French tokeniser and sentence splitter of the token-based exports.
import { strict as assert } from 'node:assert';
import { tokenize, tokenizeSentences } from '../../src/core/text/tokenize';
import { OffsetMap } from '../../src/core/model/offsets';
import { demoArticle } from './helpers/corpus';

const texts = (s: string) => tokenize(s).map((t) => t.text);
const sentences = (s: string) => tokenizeSentences(s).map((ts) => ts.map((t) => t.text).join(' '));

describe('tokenize (French)', () => {
  it('splits elisions off the word they precede, with ’ and \'', () => {
    assert.deepEqual(texts('l’Interpol d\'Interpol qu’il jusqu’au lorsqu’elle L’organisation D’abord'),
      ['l’', 'Interpol', 'd\'', 'Interpol', 'qu’', 'il', 'jusqu’', 'au', 'lorsqu’', 'elle', 'L’', 'organisation', 'D’', 'abord']);
  });

  it('keeps words with an inner apostrophe that is not an elision whole', () => {
    assert.deepEqual(texts('aujourd’hui, O’Brien'), ['aujourd’hui', ',', 'O’Brien']);
  });

  it('splits punctuation, and French quotes with (narrow) no-break spaces', () => {
    assert.deepEqual(texts('« Maroc Numérique 2030 »'), ['«', 'Maroc', 'Numérique', '2030', '»']);
    assert.deepEqual(texts('«\u00A0Rabat\u00A0» ; «\u202FFès\u202F»'), ['«', 'Rabat', '»', ';', '«', 'Fès', '»']);
    assert.deepEqual(texts('(DGSN-DGST), oui ?'), ['(', 'DGSN', '-', 'DGST', ')', ',', 'oui', '?']);
  });

  it('keeps numbers with thousands dots and decimal commas whole; % apart', () => {
    assert.deepEqual(texts('3.000 agents, 32,3 % et 5,44 milliards'), ['3.000', 'agents', ',', '32,3', '%', 'et', '5,44', 'milliards']);
    assert.deepEqual(texts('le 03/09/2024 à 12:30, en 2024.'), ['le', '03/09/2024', 'à', '12:30', ',', 'en', '2024', '.']);
    assert.deepEqual(texts('la 8ème réunion, 1er mai'), ['la', '8ème', 'réunion', ',', '1er', 'mai']);
  });

  it('keeps the dot of abbreviations and initials: M., S.M., Mme, Dr.', () => {
    assert.deepEqual(texts('M. Laftit, S.M. le Roi, Mme Benali, Dr. X et A. Hammouchi'),
      ['M.', 'Laftit', ',', 'S.M.', 'le', 'Roi', ',', 'Mme', 'Benali', ',', 'Dr.', 'X', 'et', 'A.', 'Hammouchi']);
  });

  it('keeps URLs and e-mail addresses whole, without trailing punctuation', () => {
    assert.deepEqual(texts('Voir https://www.dgsn.gov.ma/fr/actualites?id=3&x=1. Ou www.mapexpress.ma, contact@dgsn.gov.ma.'),
      ['Voir', 'https://www.dgsn.gov.ma/fr/actualites?id=3&x=1', '.', 'Ou', 'www.mapexpress.ma', ',', 'contact@dgsn.gov.ma', '.']);
  });

  it('keeps NFD accents, Arabic, 𝔸 in their words and an emoji sequence as one token', () => {
    const nfd = 'Fe\u0301s';
    assert.deepEqual(texts(`${nfd} المغرب 𝔸lpha 👩🏽‍💻 🇲🇦!`), [nfd, 'المغرب', '𝔸lpha', '👩🏽‍💻', '🇲🇦', '!']);
  });

  it('gives code point offsets and the ws flag', () => {
    const text = 'Bravo 🎉 Raja\u00A0!\r\nFin';
    const toks = tokenize(text);
    const offsets = new OffsetMap(text);
    for (const t of toks) assert.equal(offsets.slice(t.start, t.end), t.text);
    const raja = toks.find((t) => t.text === 'Raja');
    assert.deepEqual(raja, { text: 'Raja', start: 8, end: 12, ws: true });
    assert.equal(text.indexOf('Raja'), 9, 'one more in UTF-16, after the emoji');
    assert.equal(toks.find((t) => t.text === 'Fin')?.ws, false);
  });

  it('never puts whitespace or a line break inside a token', () => {
    const { article } = demoArticle('003');
    for (const t of tokenize(article.text)) assert.doesNotMatch(t.text, /\s/, JSON.stringify(t));
  });
});

describe('tokenizeSentences', () => {
  it('ends a sentence at . ! ? followed by a space and a capital', () => {
    assert.deepEqual(sentences('Il est venu. Elle aussi ! Qui ? Personne.'), ['Il est venu .', 'Elle aussi !', 'Qui ?', 'Personne .']);
  });

  it('not after an abbreviation or an initial, nor before a lower-case word', () => {
    assert.deepEqual(sentences('M. Laftit a reçu S.M. le Roi. Puis A. Hammouchi est parti.'),
      ['M. Laftit a reçu S.M. le Roi .', 'Puis A. Hammouchi est parti .']);
    assert.deepEqual(sentences('Il y a 3.000 agents. et encore'), ['Il y a 3.000 agents . et encore']);
  });

  it('keeps a closing quote with the sentence it ends, and starts one at an opening quote', () => {
    assert.deepEqual(sentences('Il a dit « Non. » Puis il est parti. « Jamais », dit-elle.'),
      ['Il a dit « Non . »', 'Puis il est parti .', '« Jamais » , dit - elle .']);
  });

  it('ends a sentence at every line break (LF, CRLF), even without a full stop', () => {
    assert.deepEqual(sentences('Titre\r\nLe Maroc\n\nMN/te/Sf/APA'), ['Titre', 'Le Maroc', 'MN / te / Sf / APA']);
  });

  it('splits after etc. when a capital follows', () => {
    assert.deepEqual(sentences('drogues, armes, etc. Le trafic continue.'), ['drogues , armes , etc.', 'Le trafic continue .']);
  });
});
