'use strict';
// Node peer of io.uv4j.bench.NodeLayerBench "timers": N timers, timer i due in (i % 1000) ms,
// all scheduled, then all fired; rounds run back to back in one process after warm-up rounds.
// Usage: node bench/node/timers.js [rounds] [warmups] [n]
const common = require('./common');

const [rounds, warmups, n] = common.args(10, 3, 1e6);
common.header('timers', n, `${n.toLocaleString('en-US')} setTimeout, timer i due in (i % 1000) ms`);
common.rounds(rounds, warmups, (done) => {
  let fired = 0;
  const cb = () => {
    if (++fired === n) done();
  };
  for (let i = 0; i < n; i++) setTimeout(cb, i % 1000);
}, true);
