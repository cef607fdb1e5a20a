'use strict';
// The Node.js peer of io.uv4j.bench.FsBench: stat and read the same small files with the same
// number of operations in flight, on libuv (Node's own copy) with the pool size FsBench passes in
// UV_THREADPOOL_SIZE.
//
// Usage: node bench/node/fs_bench.js <dir> [files] [window] [rounds] [warmups] [size]
// The files are <dir>/f00000 ... as FsBench creates them, each <size> bytes.
// Prints one line per measured round, then per operation:
//   RESULT <op> files_per_s=<median> cpu_ns_per_file=<median>
const fs = require('fs');
const path = require('path');

const [dir, filesArg, windowArg, roundsArg, warmupsArg, sizeArg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node fs_bench.js <dir> [files] [window] [rounds] [warmups] [size]');
  process.exit(2);
}
const n = Number(filesArg || 10000);
const window = Number(windowArg || 64);
const rounds = Number(roundsArg || 5);
const warmups = Number(warmupsArg || 2);
const size = Number(sizeArg || 1024);
const paths = [];
for (let i = 0; i < n; i++) paths.push(path.join(dir, 'f' + String(i).padStart(5, '0')));
const buffers = [];
for (let s = 0; s < window; s++) buffers.push(Buffer.alloc(Math.max(4096, 2 * size)));

function check(cond, what) {
  if (!cond) throw new Error(what);
}

// Each op: (path, slot, done(err)).
const ops = {
  // fs.stat: one uv_fs_stat.
  stat: (p, slot, done) => fs.stat(p, (err, st) => {
    if (!err) check(st.size === size, 'stat size ' + st.size + ' of ' + p);
    done(err);
  }),
  // fs.readFile: open, fstat, read, close (the idiomatic call; one uv_fs op more than uv4j's).
  readFile: (p, slot, done) => fs.readFile(p, (err, data) => {
    if (!err) check(data.length === size, 'readFile length ' + data.length + ' of ' + p);
    done(err);
  }),
  // open, one read into a reused buffer, close: the same three uv_fs ops as uv4j's read.
  openReadClose: (p, slot, done) => fs.open(p, 'r', (err, fd) => {
    if (err) return done(err);
    fs.read(fd, buffers[slot], 0, buffers[slot].length, 0, (err2, bytes) => {
      if (!err2) check(bytes === size, 'read ' + bytes + ' of ' + p);
      fs.close(fd, (err3) => done(err2 || err3));
    });
  }),
};

function runRound(op, cb) {
  let next = 0;
  let completed = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  function start(slot) {
    if (next >= n) return;
    const p = paths[next++];
    op(p, slot, (err) => {
      if (err) throw err;
      if (++completed === n) {
        const wall = Number(process.hrtime.bigint() - t0);
        const cpu = process.cpuUsage(c0);
        cb({ perS: n / (wall / 1e9), cpuNs: (cpu.user + cpu.system) * 1000 / n });
      } else {
        start(slot);
      }
    });
  }
  for (let s = 0; s < window && s < n; s++) start(s);
}

function median(values) {
  const v = values.slice().sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

const names = Object.keys(ops);
const results = {};
for (const name of names) results[name] = [];
let round = 0;
let k = 0;
function step() {
  if (k === names.length) {
    k = 0;
    round++;
  }
  if (round === warmups + rounds) {
    for (const name of names) {
      const rs = results[name];
      console.log(`RESULT ${name} files_per_s=${median(rs.map((r) => r.perS)).toFixed(0)}`
        + ` cpu_ns_per_file=${median(rs.map((r) => r.cpuNs)).toFixed(0)}`);
    }
    return;
  }
  const name = names[k++];
  runRound(ops[name], (r) => {
    if (round >= warmups) {
      results[name].push(r);
      console.log(`node ${name}: ${r.perS.toFixed(0)} files/s, ${r.cpuNs.toFixed(0)} ns CPU per file`);
    }
    setImmediate(step);
  });
}
step();
