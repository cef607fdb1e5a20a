package io.uv4j.fuzz;

import io.uv4j.Dir;
import io.uv4j.DirEntry;
import io.uv4j.Fs;
import io.uv4j.Pipe;
import io.uv4j.Request;
import io.uv4j.Tcp;
import io.uv4j.TempFile;
import io.uv4j.UvException;
import io.uv4j.fuzz.FuzzState.Once;
import io.uv4j.fuzz.FuzzState.Slot;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The fuzzer's file-system operations, each in its three forms (synchronous, callback, future):
 * path operations, descriptor operations, opens and closes of the fuzzer's own descriptors, and
 * directory streams. Effects stay inside the seed's work directory.
 */
final class FsOps {
  private final ApiFuzzer fuzz;

  FsOps(ApiFuzzer fuzz) {
    this.fuzz = fuzz;
  }

  /**
   * A fresh descriptor of /dev/null, for Tcp.open/Pipe.open only (issue 8 class 6). It is never
   * in the pool the fd operations draw from: fchmod/fchown/futime on it would change the
   * machine's /dev/null.
   */
  int devNull() {
    try {
      return Fs.openSync("/dev/null", Fs.O_RDONLY, 0);
    } catch (UvException e) {
      return -1;
    }
  }

  void closeOldestFd() {
    for (Integer fd : new ArrayList<>(fuzz.fdOrder)) {
      AtomicInteger busy = fuzz.fds.get(fd);
      if (busy != null && busy.get() == 0) {
        fuzz.forgetFd(fd);
        fuzz.api("close oldest fd", () -> Fs.closeSync(fd));
        return;
      }
    }
  }

  void closeFd(Slot s, int fd, int form) {
    AtomicInteger busy = fuzz.fds.get(fd);
    if (busy == null || busy.get() > 0) {
      return; // an operation in flight still uses it: closing now could hit a reused number
    }
    fuzz.forgetFd(fd);
    if (form == 0 || s.background() || s.loop.isClosed()) {
      fuzz.api("closeSync", () -> Fs.closeSync(fd));
    } else if (form == 1) {
      if (!fuzz.api("close cb", () -> s.fs.close(fd, (v, e) -> { }))) {
        fuzz.api("closeSync after failed close", () -> Fs.closeSync(fd));
      }
    } else {
      if (!fuzz.api("close future", () -> s.fs.close(fd))) {
        fuzz.api("closeSync after failed close", () -> Fs.closeSync(fd));
      }
    }
  }

  boolean safeToCreate(String p, int flags) {
    return p != null && p.startsWith(fuzz.dir.toString());
  }

  interface SyncCall {
    Object call() throws Throwable;
  }

  interface CbCall {
    Object call(io.uv4j.FsCallback<Object> cb) throws Throwable;
  }

  interface FutureCall {
    CompletableFuture<?> call() throws Throwable;
  }

  /** One fs operation in one of its three forms; {@code onValue} sees a successful result. */
  @SuppressWarnings("unchecked")
  void fsForm(Slot s, int form, String what, SyncCall sync, CbCall cb, FutureCall fut, Consumer<Object> onValue) {
    fuzz.collectArrivedFds();
    if (form == 0) {
      Object[] v = new Object[1];
      if (fuzz.api(what + "Sync", () -> v[0] = sync.call()) && v[0] != null && onValue != null) {
        onValue.accept(v[0]);
      }
    } else if (form == 1) {
      Once o = fuzz.expect(s, what + " callback");
      fuzz.api(what + " cb", () -> fuzz.tracked(o, () -> {
        Object req = cb.call((v, e) -> {
          o.fire();
          if (e == null && v != null && onValue != null) {
            onValue.accept(v);
          }
        });
        if (req instanceof Request) {
          s.requests.add((Request) req);
          fuzz.trimRequests(s);
        }
      }));
    } else {
      Once o = fuzz.expect(s, what + " future");
      fuzz.api(what + " future", () -> fuzz.tracked(o, () -> {
        CompletableFuture<Object> f = (CompletableFuture<Object>) fut.call();
        f.whenComplete((v, e) -> {
          o.fire();
          if (e == null && v != null && onValue != null) {
            onValue.accept(v);
          }
        });
      }));
    }
  }

  /** A readable /sys file whose st_size (4096) exceeds its content, or null (not Linux). */
  static final String SHORT_SYS_FILE = shortSysFile();

  static String shortSysFile() {
    for (String c : new String[] {"/sys/kernel/mm/transparent_hugepage/enabled", "/sys/kernel/uevent_seqnum",
        "/sys/kernel/profiling", "/sys/power/state"}) {
      try {
        java.nio.file.Path p = java.nio.file.Path.of(c);
        if (java.nio.file.Files.isReadable(p) && java.nio.file.Files.size(p) > java.nio.file.Files.readAllBytes(p).length) {
          return c;
        }
      } catch (java.io.IOException | RuntimeException e) {
        // not this one
      }
    }
    return null;
  }

  void fsPath(Slot s, Random r) {
    int k = r.nextInt(22);
    int form = r.nextInt(3);
    String p = k >= 14 ? fuzz.readPath(r) : fuzz.path(r);
    String q = fuzz.path(r);
    int mode = r.nextInt(4) == 0 ? fuzz.anInt(r) : 0755;
    int flags = r.nextInt(4) == 0 ? fuzz.anInt(r) : 0;
    double t1 = r.nextInt(4) == 0 ? Double.NaN : r.nextInt(4) == 0 ? -1e30 : 1e9 + r.nextInt(1000);
    Instant i1 = r.nextInt(4) == 0 ? (r.nextBoolean() ? null : Instant.MAX) : Instant.ofEpochSecond(r.nextInt(1 << 30));
    int uid = r.nextBoolean() ? -1 : r.nextInt(3) == 0 ? fuzz.anInt(r) : 0;
    fuzz.log("fs path #" + k + " form=" + form + " " + FuzzState.shortPath(p) + " " + FuzzState.shortPath(q) + " mode=" + mode
        + " flags=" + flags + " t=" + t1 + " " + i1 + " uid=" + uid);
    Fs fs = s.fs;
    // Paths that are written (mutating calls) stay inside the private directory; a null or odd
    // path is fine (it must be refused), an outside one is replaced.
    if (k < 14 && p != null && !p.isEmpty() && !p.startsWith(fuzz.dir.toString())) {
      p = fuzz.dir.resolve("f1").toString();
    }
    String a = p;
    String b0 = q != null && !q.isEmpty() && !q.startsWith(fuzz.dir.toString()) ? fuzz.dir.resolve("f2").toString() : q;
    String b = b0 == null && fuzz.avoid("null-path") ? fuzz.dir.resolve("f2").toString() : b0; // issue 8 class 5
    switch (k) {
      case 0: fsForm(s, form, "unlink", () -> { Fs.unlinkSync(a); return null; }, cb -> fs.unlink(a, cast(cb)), () -> fs.unlink(a), null); break;
      case 1: fsForm(s, form, "mkdir", () -> { Fs.mkdirSync(a, mode); return null; }, cb -> fs.mkdir(a, mode, cast(cb)), () -> fs.mkdir(a, mode), null); break;
      case 2: fsForm(s, form, "rmdir", () -> { Fs.rmdirSync(a); return null; }, cb -> fs.rmdir(a, cast(cb)), () -> fs.rmdir(a), null); break;
      case 3: fsForm(s, form, "rename", () -> { Fs.renameSync(a, b); return null; }, cb -> fs.rename(a, b, cast(cb)), () -> fs.rename(a, b), null); break;
      case 4: fsForm(s, form, "mkdtemp", () -> Fs.mkdtempSync(a), cb -> fs.mkdtemp(a, cast(cb)), () -> fs.mkdtemp(a), null); break;
      case 5: {
        // now and then a /sys source shorter than its size (libuv's copy loop never ended on one)
        String src = SHORT_SYS_FILE != null && r.nextInt(6) == 0 ? SHORT_SYS_FILE : a;
        fsForm(s, form, "copyfile", () -> { Fs.copyfileSync(src, b, flags); return null; }, cb -> fs.copyfile(src, b, flags, cast(cb)), () -> fs.copyfile(src, b, flags), null);
        break;
      }
      case 6: fsForm(s, form, "link", () -> { Fs.linkSync(a, b); return null; }, cb -> fs.link(a, b, cast(cb)), () -> fs.link(a, b), null); break;
      case 7: {
        // Link targets stay inside too: a link to /etc followed by chmod would escape.
        String target = b == null ? null : r.nextBoolean() ? "f3" : b;
        String link = a == null && fuzz.avoid("null-path") ? fuzz.dir.resolve("l0").toString() : a;
        fsForm(s, form, "symlink", () -> { Fs.symlinkSync(target, link, flags); return null; }, cb -> fs.symlink(target, link, flags, cast(cb)), () -> fs.symlink(target, link, flags), null);
        break;
      }
      case 8: fsForm(s, form, "chmod", () -> { Fs.chmodSync(a, mode); return null; }, cb -> fs.chmod(a, mode, cast(cb)), () -> fs.chmod(a, mode), null); break;
      case 9: fsForm(s, form, "chown", () -> { Fs.chownSync(a, uid, uid); return null; }, cb -> fs.chown(a, uid, uid, cast(cb)), () -> fs.chown(a, uid, uid), null); break;
      case 10: fsForm(s, form, "lchown", () -> { Fs.lchownSync(a, uid, uid); return null; }, cb -> fs.lchown(a, uid, uid, cast(cb)), () -> fs.lchown(a, uid, uid), null); break;
      case 11: fsForm(s, form, "utime", () -> { Fs.utimeSync(a, t1, t1); return null; }, cb -> fs.utime(a, t1, t1, cast(cb)), () -> fs.utime(a, t1, t1), null); break;
      case 12: fsForm(s, form, "utimeI", () -> { Fs.utimeSync(a, i1, i1); return null; }, cb -> fs.utime(a, i1, i1, cast(cb)), () -> fs.utime(a, i1, i1), null); break;
      case 13: fsForm(s, form, "lutime", () -> { Fs.lutimeSync(a, t1, t1); return null; }, cb -> fs.lutime(a, i1, i1, cast(cb)), () -> fs.lutime(a, t1, t1), null); break;
      case 14: fsForm(s, form, "stat", () -> Fs.statSync(a), cb -> fs.stat(a, cast(cb)), () -> fs.stat(a), null); break;
      case 15: fsForm(s, form, "lstat", () -> Fs.lstatSync(a), cb -> fs.lstat(a, cast(cb)), () -> fs.lstat(a), null); break;
      case 16: fsForm(s, form, "scandir", () -> Fs.scandirSync(a), cb -> fs.scandir(a, cast(cb)), () -> fs.scandir(a), null); break;
      case 17: fsForm(s, form, "readlink", () -> Fs.readlinkSync(a), cb -> fs.readlink(a, cast(cb)), () -> fs.readlink(a), null); break;
      case 18: fsForm(s, form, "realpath", () -> Fs.realpathSync(a), cb -> fs.realpath(a, cast(cb)), () -> fs.realpath(a), null); break;
      case 19: fsForm(s, form, "access", () -> { Fs.accessSync(a, mode & 7); return null; }, cb -> fs.access(a, mode, cast(cb)), () -> fs.access(a, mode), null); break;
      case 20: fsForm(s, form, "statfs", () -> Fs.statfsSync(a), cb -> fs.statfs(a, cast(cb)), () -> fs.statfs(a), null); break;
      default: {
        // Write some content into a file, so reads and copies have something to move.
        String f = fuzz.dir.resolve(FuzzInputs.NAMES[r.nextInt(4)]).toString();
        fuzz.api("fill", () -> {
          int fd = Fs.openSync(f, Fs.O_RDWR | Fs.O_CREAT, 0644);
          try {
            Fs.writeSync(fd, ByteBuffer.wrap(new byte[r.nextInt(70000)]), 0);
          } finally {
            Fs.closeSync(fd);
          }
        });
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> io.uv4j.FsCallback<T> cast(io.uv4j.FsCallback cb) {
    return cb;
  }

  void fsFd(Slot s, Random r) {
    int k = r.nextInt(14);
    int form = r.nextInt(3);
    int fd = fuzz.fd(r);
    int fd2 = fuzz.fd(r);
    ByteBuffer b0 = fuzz.buffer(s, r);
    ByteBuffer[] bs = r.nextBoolean() ? fuzz.buffers(s, r) : null;
    boolean reading = k <= 1 || k == 13;
    if (reading && fuzz.avoid("readonly") && bs != null) {
      for (int i = 0; i < bs.length; i++) {
        bs[i] = writable(bs[i]);
      }
    }
    ByteBuffer b = reading && fuzz.avoid("readonly") ? writable(b0) : b0;
    long[] offsets = {-1, 0, 1, 100, 4096, -2, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62};
    long off = r.nextInt(3) == 0 ? offsets[r.nextInt(offsets.length)] : r.nextInt(2) - 1;
    long[] lengths = {0, 1, 100, 65536, 1 << 20, -1, Long.MIN_VALUE, Long.MAX_VALUE};
    long len = lengths[r.nextInt(lengths.length)];
    int mode = r.nextInt(4) == 0 ? fuzz.anInt(r) : 0644;
    int uid = r.nextBoolean() ? -1 : 0;
    double t1 = r.nextInt(4) == 0 ? Double.NaN : 1e9 + r.nextInt(1000);
    fuzz.log("fs fd #" + k + " form=" + form + " fd=" + fd + " fd2=" + fd2 + " " + (bs != null ? FuzzInputs.desc(bs) : FuzzInputs.desc(b))
        + " off=" + off + " len=" + len + " mode=" + mode);
    if (!s.background() || form == 0) {
      // ok: async forms on a loop another thread runs are refused (ISE), which is fine to try
    }
    Fs fs = s.fs;
    // Never let the file grow huge: a sparse file far beyond 1 MiB copied by sendfile/copyfile
    // would fill the disk. Offsets >= 2^62 fail (EFBIG/EINVAL) on ext4 and are kept.
    long sendLen = Math.min(Math.max(len, -1), 1 << 20);
    long truncLen = len > (1 << 20) && len != Long.MAX_VALUE ? 1 << 20 : len;
    Runnable done = form == 0 ? () -> { } : fuzz.inFlight(fd);
    Runnable done2 = form == 0 ? () -> { } : fuzz.inFlight(fd2);
    Consumer<Object> fin = v -> {
      done.run();
      done2.run();
    };
    try {
      switch (k) {
        case 0: case 1:
          fsFormTracked(s, form, "read", () -> Fs.readSync(fd, bs != null ? bs : new ByteBuffer[] {b}, off),
              cb -> bs != null ? fs.read(fd, bs, off, cb(cb)) : fs.read(fd, b, off, cb(cb)),
              () -> bs != null ? fs.read(fd, bs, off) : fs.read(fd, b, off), fin);
          break;
        case 2: case 3: {
          long woff = off > (1 << 20) && off < (1L << 62) ? 0 : off;
          fsFormTracked(s, form, "write", () -> Fs.writeSync(fd, bs != null ? bs : new ByteBuffer[] {b}, woff),
              cb -> bs != null ? fs.write(fd, bs, woff, cb(cb)) : fs.write(fd, b, woff, cb(cb)),
              () -> bs != null ? fs.write(fd, bs, woff) : fs.write(fd, b, woff), fin);
          break;
        }
        case 4: fsFormTracked(s, form, "fstat", () -> Fs.fstatSync(fd), cb -> fs.fstat(fd, cb(cb)), () -> fs.fstat(fd), fin); break;
        case 5: fsFormTracked(s, form, "ftruncate", () -> { Fs.ftruncateSync(fd, truncLen); return 0; }, cb -> fs.ftruncate(fd, truncLen, cb(cb)), () -> fs.ftruncate(fd, truncLen), fin); break;
        case 6: fsFormTracked(s, form, "fsync", () -> { Fs.fsyncSync(fd); return 0; }, cb -> fs.fsync(fd, cb(cb)), () -> fs.fsync(fd), fin); break;
        case 7: fsFormTracked(s, form, "fdatasync", () -> { Fs.fdatasyncSync(fd); return 0; }, cb -> fs.fdatasync(fd, cb(cb)), () -> fs.fdatasync(fd), fin); break;
        case 8: fsFormTracked(s, form, "sendfile", () -> Fs.sendfileSync(fd, fd2, Math.max(off, -1), sendLen), cb -> fs.sendfile(fd, fd2, Math.max(off, -1), sendLen, cb(cb)), () -> fs.sendfile(fd, fd2, Math.max(off, -1), sendLen), fin); break;
        case 9: fsFormTracked(s, form, "fchmod", () -> { Fs.fchmodSync(fd, mode); return 0; }, cb -> fs.fchmod(fd, mode, cb(cb)), () -> fs.fchmod(fd, mode), fin); break;
        case 10: fsFormTracked(s, form, "fchown", () -> { Fs.fchownSync(fd, uid, uid); return 0; }, cb -> fs.fchown(fd, uid, uid, cb(cb)), () -> fs.fchown(fd, uid, uid), fin); break;
        case 11: fsFormTracked(s, form, "futime", () -> { Fs.futimeSync(fd, t1, t1); return 0; }, cb -> fs.futime(fd, t1, t1, cb(cb)), () -> fs.futime(fd, t1, t1), fin); break;
        case 12: fsFormTracked(s, form, "futimeI", () -> { Fs.futimeSync(fd, Instant.now(), Instant.EPOCH); return 0; }, cb -> fs.futime(fd, Instant.EPOCH, Instant.now(), cb(cb)), () -> fs.futime(fd, Instant.now(), Instant.now()), fin); break;
        default: {
          // Read back what a file holds into a vectored buffer set (the same buffer twice...).
          ByteBuffer[] vs = fuzz.buffers(s, r);
          if (vs != null && fuzz.avoid("readonly")) {
            for (int i = 0; i < vs.length; i++) {
              vs[i] = writable(vs[i]);
            }
          }
          fsFormTracked(s, form, "readv", () -> Fs.readSync(fd, vs, 0), cb -> fs.read(fd, vs, 0, cb(cb)), () -> fs.read(fd, vs, 0), fin);
        }
      }
    } catch (Throwable t) {
      fin.accept(null);
      throw t;
    }
  }

  /** A read-only buffer replaced by a fresh one (avoid "readonly": reads into it throw ReadOnlyBufferException). */
  static ByteBuffer writable(ByteBuffer b) {
    return b != null && b.isReadOnly() ? ByteBuffer.allocate(b.remaining()) : b;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> io.uv4j.FsCallback<T> cb(io.uv4j.FsCallback cb) {
    return cb;
  }

  /** Like fsForm, but {@code fin} runs when the operation is over (or was refused). */
  @SuppressWarnings("unchecked")
  void fsFormTracked(Slot s, int form, String what, SyncCall sync, CbCall cb, FutureCall fut, Consumer<Object> fin) {
    if (form == 0) {
      fuzz.api(what + "Sync", sync::call);
      fin.accept(null);
    } else if (form == 1) {
      Once o = fuzz.expect(s, what + " callback");
      if (!fuzz.api(what + " cb", () -> fuzz.tracked(o, () -> {
        Object req = cb.call((v, e) -> {
          o.fire();
          fin.accept(null);
        });
        if (req instanceof Request) {
          s.requests.add((Request) req);
          fuzz.trimRequests(s);
        }
      }))) {
        fin.accept(null);
      }
    } else {
      Once o = fuzz.expect(s, what + " future");
      if (!fuzz.api(what + " future", () -> fuzz.tracked(o, () -> {
        CompletableFuture<Object> f = (CompletableFuture<Object>) fut.call();
        f.whenComplete((v, e) -> {
          o.fire();
          fin.accept(null);
        });
      }))) {
        fin.accept(null);
      }
    }
  }

  void fsDir(Slot s, Random r) {
    int k = r.nextInt(6);
    int form = r.nextInt(3);
    String p = fuzz.readPath(r);
    int max = r.nextInt(4) == 0 ? fuzz.anInt(r) : 1 + r.nextInt(8);
    Dir d = fuzz.dirs.isEmpty() ? null : fuzz.dirs.get(r.nextInt(fuzz.dirs.size()));
    fuzz.log("fs dir #" + k + " form=" + form + " " + FuzzState.shortPath(p) + " max=" + max + " dir=" + d);
    Fs fs = s.fs;
    switch (k) {
      case 0: case 1:
        if (fuzz.dirs.size() >= 8) {
          return;
        }
        fsForm(s, form, "opendir", () -> Fs.opendirSync(p), cb -> fs.opendir(p, cast(cb)), () -> fs.opendir(p),
            v -> fuzz.dirs.add((Dir) v));
        return;
      case 2: case 3:
        if (d == null) {
          return;
        }
        fsForm(s, form, "readdir", () -> Fs.readdirSync(d, max), cb -> fs.readdir(d, max, cast(cb)),
            () -> fs.readdir(d, max), v -> ((List<?>) v).size());
        return;
      case 4:
        if (d == null) {
          fuzz.api("closedir null", () -> Fs.closedirSync(null));
          return;
        }
        fsForm(s, form, "closedir", () -> { Fs.closedirSync(d); return null; }, cb -> fs.closedir(d, cast(cb)),
            () -> fs.closedir(d), null);
        if (d.isClosed()) {
          fuzz.dirs.remove(d);
        }
        return;
      default: {
        List<DirEntry>[] l = new List[1];
        fuzz.api("scandir self", () -> l[0] = Fs.scandirSync(fuzz.dir.toString()));
      }
    }
  }

  /** {@link ApiFuzzer.Op#FS_OPEN}. */
  void fsOpen(Slot s, Random r) throws Exception {
    String p = fuzz.path(r);
    int[] flagsSet = {Fs.O_RDWR | Fs.O_CREAT, Fs.O_RDONLY, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC,
        Fs.O_RDWR | Fs.O_CREAT | Fs.O_APPEND, Fs.O_RDONLY | Fs.O_DIRECTORY, -1, Integer.MAX_VALUE,
        Fs.O_RDWR | Fs.O_CREAT | Fs.O_EXCL, Fs.O_RDWR | Fs.O_CREAT | Fs.O_DIRECT};
    int flags = flagsSet[r.nextInt(flagsSet.length)];
    int mode = r.nextInt(5) == 0 ? fuzz.anInt(r) : 0644;
    int form = r.nextInt(3);
    boolean temp = r.nextInt(6) == 0;
    fuzz.log((temp ? "mkstemp " : "open ") + FuzzState.shortPath(p) + " flags=" + flags + " mode=" + mode + " form=" + form);
    if (fuzz.fds.size() >= FuzzState.MAX_FDS) {
      closeOldestFd();
    }
    if (flags == -1 || flags == Integer.MAX_VALUE || !safeToCreate(p, flags)) {
      if ((flags & Fs.O_CREAT) != 0 || flags == -1 || flags == Integer.MAX_VALUE) {
        p = fuzz.dir.resolve("f0").toString(); // creating files only inside the private directory
      }
    }
    String path = p;
    if (temp) {
      String tmpl = r.nextInt(4) == 0 ? path : fuzz.dir.resolve("t" + fuzz.opIndex + "-XXXXXX").toString();
      fsForm(s, form, "mkstemp",
          () -> Fs.mkstempSync(tmpl),
          cb -> s.fs.mkstemp(tmpl, cast(cb)),
          () -> s.fs.mkstemp(tmpl),
          v -> fuzz.ownFdLater(s, ((TempFile) v).fd()));
    } else {
      fsForm(s, form, "open",
          () -> Fs.openSync(path, flags, mode),
          cb -> s.fs.open(path, flags, mode, cast(cb)),
          () -> s.fs.open(path, flags, mode),
          v -> fuzz.ownFdLater(s, (Integer) v));
    }
  }

  /** {@link ApiFuzzer.Op#FS_CLOSE}. */
  void fsClose(Slot s, Random r) throws Exception {
    if (fuzz.fdOrder.isEmpty() || r.nextInt(6) == 0) {
      int bad = fuzz.fd(r);
      if (fuzz.fds.containsKey(bad)) {
        bad = -1;
      }
      int fb = bad;
      fuzz.log("close bad fd " + fb);
      fuzz.api("close bad fd", () -> Fs.closeSync(fb));
      return;
    }
    int fd = fuzz.fdOrder.get(r.nextInt(fuzz.fdOrder.size()));
    int form = r.nextInt(3);
    fuzz.log("close fd " + fd + " form=" + form);
    closeFd(s, fd, form);
  }
}
