// Property tests (fast-check) with a fixed seed per suite, so every run checks the same cases;
// FC_SEED=<n> explores others or reproduces a failure, and every failure message names the seed.
import fc from 'fast-check';

/** A suite's seed and its property runner. Call at a test file's top level (a bad FC_SEED fails the load). */
export function seededProperties(defaultSeed: number) {
  const fromEnv = process.env.FC_SEED !== undefined && process.env.FC_SEED !== '';
  const seed = fromEnv ? Number(process.env.FC_SEED) : defaultSeed;
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, not "${process.env.FC_SEED}"`);
  let runs = 0;
  return {
    seed,
    /** For a describe() title: `seed <n>, the default; FC_SEED overrides` or `seed <n>, from FC_SEED`. */
    title: `seed ${seed}${seed === defaultSeed ? ', the default; FC_SEED overrides' : ', from FC_SEED'}`,
    /** Generated cases run so far by check(). */
    get runs(): number {
      return runs;
    },
    /** Runs a property with the suite's seed; a failure says how to reproduce it. */
    check<T>(property: fc.IProperty<T>, numRuns: number): void {
      const details = fc.check(property, { seed, numRuns });
      if (details.failed) {
        throw new Error(`property failed with seed ${seed} (reproduce with FC_SEED=${seed}); after ${details.numRuns} runs, counterexample path "${details.counterexamplePath}":\n`
          + fc.defaultReportMessage(details));
      }
      runs += details.numRuns;
    },
  };
}
