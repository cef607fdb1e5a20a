// Port of test-process-exit-handler.js: nothing asynchronous runs after 'exit'.
process.on('exit', () => {
  console.log('exit');
  setTimeout(() => console.log('timeout from exit (never)'), 0);
  setImmediate(() => console.log('immediate from exit (never)'));
  for (const start = Date.now(); Date.now() - start < 10;);
});
