/** One reviewed snapshot per environment (every stack of it). Update with `npx jest -u` and review the diff like code. */
import { environments, synthAll } from "../support/synth";

describe("environment snapshots", () => {
  const stacks = synthAll(environments({}));
  test.each(["dev", "staging", "prod"])("given %s as shipped, when synthesized, then it matches the reviewed snapshot", (env) => {
    const mine = Object.fromEntries(Object.entries(stacks).filter(([name]) => name === `hexproperty-${env}` || name.startsWith(`hexproperty-${env}-`)));
    expect(mine).toMatchSnapshot();
  });
});
