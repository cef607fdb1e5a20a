package io.uv4j.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an example by name: {@code java -jar uv4j-examples.jar [name] [args...]}.
 *
 * <ul>
 *   <li>{@code tour}: one libuv loop iteration, phase by phase (the default);
 *   <li>{@code copy <src> <dst>}: a file copy with async fs operations and a progress bar;
 *   <li>{@code node-tour [file]}: Node's Start / End / file read / password hash tour;
 *   <li>{@code pool-batches [n] [iterations]}: eight hashes on a pool of 4 (or n) threads, in
 *       batches;
 *   <li>{@code child-process}: spawn, exec and execFile ({@link ChildProcessDemo});
 *   <li>{@code fork-ping-pong [rounds]}: a forked child JVM and JSON messages over IPC;
 *   <li>{@code repl}: a Java REPL on a live Node runtime ({@link ReplExample}).
 * </ul>
 */
public final class Main {
  interface Example {
    void main(String[] args) throws Exception;
  }

  private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();

  static {
    EXAMPLES.put("tour", EventLoopTour::main);
    EXAMPLES.put("echo-server", EchoServer::main);
    EXAMPLES.put("echo-client", EchoClient::main);
    EXAMPLES.put("udp-echo", UdpEcho::main);
    EXAMPLES.put("http-hello", HttpHello::main);
    EXAMPLES.put("copy", FileCopy::main);
    EXAMPLES.put("node-tour", NodeTour::main);
    EXAMPLES.put("pool-batches", PoolBatches::main);
    EXAMPLES.put("timeout-vs-immediate", TimeoutVsImmediate::main);
    EXAMPLES.put("tick-vs-promise", TickVsPromise::main);
    EXAMPLES.put("pbkdf2-batches", Pbkdf2Batches::main);
    EXAMPLES.put("worker-sum", WorkerSum::main);
    EXAMPLES.put("cluster-http", ClusterHttp::main);
    EXAMPLES.put("signals", SignalDemo::main);
    EXAMPLES.put("spawn-ls", SpawnLs::main);
    EXAMPLES.put("child-process", ChildProcessDemo::main);
    EXAMPLES.put("fork-ping-pong", ForkPingPong::main);
    EXAMPLES.put("repl", ReplExample::main);
  }

  public static void main(String[] args) throws Exception {
    String name = args.length == 0 ? "tour" : args[0];
    Example example = EXAMPLES.get(name);
    if (example == null) {
      System.err.println("unknown example '" + name + "'; available: " + EXAMPLES.keySet());
      System.exit(2);
    }
    example.main(args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length));
  }

  private Main() {}
}
