'use strict';
// Shared by the Node peers: the same rounds, columns and summary as NodeLayerBench prints.

exports.args = (rounds, warmups, n, from = 2) => {
  const a = process.argv.slice(from);
  return [a[0] ? +a[0] : rounds, a[1] ? +a[1] : warmups, a[2] ? +a[2] : n];
};

exports.header = (name, n, what) => {
  console.log(`node ${process.version} (V8 ${process.versions.v8}, libuv ${process.versions.uv}): ${what}`);
};

const ms = (us) => us / 1000;

// Runs warmups + rounds rounds one after the other; work(done) starts a round and calls done()
// when its last callback has run. Each round: process CPU (user + system, all threads) for the
// whole round and, with measureScheduling, until work() returned; and wall time; in ms.
exports.rounds = (rounds, warmups, work, measureScheduling = false) => {
  const results = [];
  const round = (i) => {
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let scheduling = null;
    let finished = false;
    work(() => {
      finished = true;
      const cpu = process.cpuUsage(cpu0);
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      const r = { scheduling: scheduling === null ? null : scheduling, cpu: ms(cpu.user + cpu.system), wall };
      const warm = i < warmups;
      console.log(`${warm ? 'warm-up' : 'round  '} ${String(i + 1).padStart(2)}: ` + line(r));
      if (!warm) results.push(r);
      // The next round starts from a fresh loop iteration, as in the Java harness.
      if (i + 1 < warmups + rounds) setImmediate(() => round(i + 1));
      else summary(results);
    });
    if (measureScheduling && !finished) {
      const c = process.cpuUsage(cpu0);
      scheduling = ms(c.user + c.system);
    }
  };
  round(0);
};

const line = (r) => `scheduling CPU ${fmt(r.scheduling)} ms, process CPU ${fmt(r.cpu)} ms, wall ${fmt(r.wall)} ms`;
const fmt = (v) => (v === null ? '-' : v.toFixed(0)).padStart(6);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function summary(results) {
  const col = (k) => {
    const xs = results.map((r) => r[k]).filter((v) => v !== null);
    if (xs.length === 0) return '-';
    return `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)})`;
  };
  console.log(`median of ${results.length} rounds, ms: scheduling CPU ${col('scheduling')}, ` +
    `process CPU ${col('cpu')}, wall ${col('wall')}`);
}
