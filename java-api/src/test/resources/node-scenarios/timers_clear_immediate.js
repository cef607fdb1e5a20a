// Port of test-timers-clearImmediate.js: an immediate clearing itself while it runs.
const N = 3;
let count = 0;
function next() {
  const immediate = setImmediate(function() {
    clearImmediate(immediate);
    ++count;
  });
}
for (let i = 0; i < N; ++i) next();
process.on('exit', () => {
  console.log('count ' + count);
});
