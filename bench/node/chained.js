'use strict';
// Node peer of io.uv4j.bench.NodeLayerBench "immediate" / "nextTick": N callbacks chained, each
// scheduling the next (setImmediate: one per loop iteration; nextTick: all in one tick drain).
// Usage: node bench/node/chained.js immediate|nextTick [rounds] [warmups] [n]
const common = require('./common');

const mode = process.argv[2];
if (mode !== 'immediate' && mode !== 'nextTick') {
  console.error('usage: node chained.js immediate|nextTick [rounds] [warmups] [n]');
  process.exit(2);
}
const [rounds, warmups, n] = common.args(10, 3, 1e6, 3);
const schedule = mode === 'immediate' ? setImmediate : process.nextTick;
common.header(mode, n, `${n.toLocaleString('en-US')} chained ${mode === 'immediate' ? 'setImmediate' : 'process.nextTick'}`);
common.rounds(rounds, warmups, (done) => {
  let count = 0;
  const f = () => {
    if (++count === n) done();
    else schedule(f);
  };
  schedule(f);
});
