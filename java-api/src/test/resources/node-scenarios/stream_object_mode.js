// Object mode: Readable.from(array) -> an object-mode Transform (highWaterMark 2) -> an
// object-mode Writable (highWaterMark 2, asynchronous writes) through pipeline, with the order of
// transform/write calls, 'drain', 'end', 'finish', 'close' and the callback; highWaterMark counts
// objects (default 16); write() returns false at the 16th object and 'drain' follows; read()
// returns one object at a time; a null item of Readable.from destroys it.
const { Readable, Writable, Transform, pipeline } = require('stream');

const src = Readable.from([1, 2, 3, 4, 5]);
const double = new Transform({
  objectMode: true,
  highWaterMark: 2,
  transform(n, enc, cb) {
    console.log('transform ' + n + ' buffered ' + this.readableLength);
    cb(null, { n, twice: n * 2 });
  },
  flush(cb) {
    console.log('flush');
    cb(null, { n: 0, twice: 0 });
  },
});
const sink = new Writable({
  objectMode: true,
  highWaterMark: 2,
  write(obj, enc, cb) {
    console.log('write ' + JSON.stringify(obj) + ' pending ' + this.writableLength);
    setImmediate(cb);
  },
});
console.log('hwm ' + src.readableHighWaterMark + ' ' + src.readableObjectMode + ' ' + double.readableHighWaterMark +
    ' ' + double.writableHighWaterMark + ' ' + sink.writableHighWaterMark + ' ' + sink.writableObjectMode);
src.on('end', () => console.log('src end'));
src.on('close', () => console.log('src close'));
double.on('end', () => console.log('double end'));
double.on('finish', () => console.log('double finish'));
double.on('close', () => console.log('double close'));
sink.on('drain', () => console.log('sink drain'));
sink.on('finish', () => console.log('sink finish'));
sink.on('close', () => console.log('sink close'));
pipeline(src, double, sink, (err) => {
  console.log('pipeline ' + err);
  second();
});
process.nextTick(() => console.log('tick'));
console.log('main');

function second() {
  const w = new Writable({
    objectMode: true,
    write(o, enc, cb) {
      process.nextTick(cb);
    },
  });
  let i = 0;
  let ok;
  do {
    ok = w.write({ i: i++ });
  } while (ok);
  console.log('false after ' + i + ' writes, length ' + w.writableLength + ' needDrain ' + w.writableNeedDrain);
  w.on('drain', () => {
    console.log('drain ' + w.writableLength);
    w.end('last', () => console.log('end callback'));
  });
  w.on('finish', () => console.log('w finish'));
  w.on('close', () => {
    console.log('w close');
    third();
  });
  try {
    w.write(null);
  } catch (e) {
    console.log('write(null) ' + e.code);
  }
}

function third() {
  const r = new Readable({ objectMode: true, read() {} });
  r.push('a');
  r.push({ x: 1 });
  r.push(0);
  r.push('');
  console.log('length ' + r.readableLength);
  console.log('read ' + JSON.stringify(r.read()) + ' ' + JSON.stringify(r.read()) + ' ' + JSON.stringify(r.read(5)));
  console.log('length ' + r.readableLength);
  const bad = Readable.from(['x', null, 'y']);
  bad.on('data', (d) => console.log('bad data ' + d));
  bad.on('error', (e) => console.log('bad error ' + e.code));
  bad.on('close', () => console.log('bad close'));
  Promise.resolve().then(() => console.log('microtask'));
  process.nextTick(() => console.log('tick 3'));
}
