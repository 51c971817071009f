// A plain CommonJS consumer: require() of both entry points (Node 20.19+ loads ES modules
// that way), then the plain-call checks.
const { writeFileSync } = require('node:fs');
const { createDecorator, fromReference, identityOf, toReference, trackExecutionTime, wraps } =
  require('selfsame');
const { Pool } = require('selfsame/pool');

const key = 'a secret both sides share';
const rawAdd = function add(a, b) {
  return a + b;
};
const add = wraps(rawAdd)((...args) => rawAdd(...args));
const loud = createDecorator(
  'loud',
  (fn) =>
    (...args) =>
      `${String(fn(...args)).toUpperCase()}!`,
);
const countWords = trackExecutionTime({ logger: false })(function countWords(text) {
  return text.split(/\s+/).filter(Boolean).length;
});
const shout = loud(function shout(text) {
  return text;
});
module.exports = { countWords, shout };

async function check() {
  if (add.name !== 'add' || add.length !== 2)
    throw new Error(`wraps: add is ${add.name}/${add.length}`);
  if (identityOf(countWords).qualname !== 'countWords') {
    throw new Error(`plain call: qualname is ${identityOf(countWords).qualname}`);
  }
  const back = await fromReference(
    JSON.parse(JSON.stringify(await toReference(countWords, { key }))),
    { key },
  );
  if (back !== countWords) throw new Error('signed reference: a different function came back');
  const pool = new Pool({ size: 2, key, timeout: 60_000 });
  try {
    const counts = await pool.map(countWords, ['one', 'one two']);
    const shouts = await pool.map(shout, ['a', 'b']);
    if (counts.join() !== '1,2' || shouts.join() !== 'A!,B!') {
      throw new Error(`Pool.map: got ${counts} and ${shouts}`);
    }
  } finally {
    await pool.close();
  }
}

if (require.main === module) {
  const report = (failures) =>
    writeFileSync(process.env.SELFSAME_REPORT ?? 'report.json', JSON.stringify({ failures }));
  check().then(
    () => report([]),
    (error) =>
      report([{ step: 'require', error: `${error.name}: ${error.message.split('\n')[0]}` }]),
  );
}
