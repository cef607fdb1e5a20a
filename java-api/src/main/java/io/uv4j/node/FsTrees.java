package io.uv4j.node;

import io.uv4j.DirEntry;
import io.uv4j.Errno;
import io.uv4j.UvException;
import java.util.Iterator;
import java.util.function.Consumer;

/** The recursive forms of {@code fs.mkdir} and {@code fs.rm}, in callbacks. */
final class FsTrees {
  private final NodeFs nfs;

  FsTrees(NodeFs nfs) {
    this.nfs = nfs;
  }

  void mkdirp(String path, NodeCallback<String> cb) {
    nfs.fs.mkdir(path, 0777, nfs.step((v, err) -> {
      if (err == null) {
        cb.call(null, path);
      } else if (err.code() == Errno.EEXIST) {
        existingDir(path, err, cb);
      } else if (err.code() == Errno.ENOENT) {
        String parent = parent(path);
        if (parent == null) {
          cb.call(SystemError.from(err), null);
          return;
        }
        mkdirp(parent, (perr, first) -> {
          if (perr != null) {
            cb.call(perr, null);
            return;
          }
          nfs.fs.mkdir(path, 0777, nfs.step((v2, err2) -> {
            if (err2 == null) {
              cb.call(null, first != null ? first : path);
            } else if (err2.code() == Errno.EEXIST) {
              existingDir(path, err2, (e3, ignored) -> cb.call(e3, e3 != null ? null : first));
            } else {
              cb.call(SystemError.from(err2), null);
            }
          }));
        });
      } else {
        cb.call(SystemError.from(err), null);
      }
    }));
  }

  /** EEXIST during a recursive mkdir: fine if it is a directory. */
  void existingDir(String path, UvException exists, NodeCallback<String> cb) {
    nfs.fs.stat(path, nfs.step((st, err) -> {
      if (err == null && st.isDirectory()) {
        cb.call(null, null);
      } else {
        cb.call(SystemError.from(exists), null);
      }
    }));
  }

  static String trimSlashes(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  static String parent(String path) {
    int i = path.lastIndexOf('/');
    if (i < 0) {
      return null; // relative, first component: its parent is the working directory
    }
    if (i == 0) {
      return path.length() > 1 ? "/" : null;
    }
    return path.substring(0, i);
  }

  /** rm -r: children one after another, then the directory. */
  void removeTree(String path, boolean isDir, boolean force, Consumer<NodeError> done) {
    if (!isDir) {
      nfs.fs.unlink(path, nfs.step((v, err) -> done.accept(ignoreMissing(err, force))));
      return;
    }
    nfs.fs.scandir(path, nfs.step((entries, err) -> {
      if (err != null) {
        done.accept(ignoreMissing(err, force));
        return;
      }
      Iterator<DirEntry> it = entries.iterator();
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (!it.hasNext()) {
          nfs.fs.rmdir(path, nfs.step((v, err2) -> done.accept(ignoreMissing(err2, force))));
          return;
        }
        DirEntry d = it.next();
        String child = path + "/" + d.name();
        Consumer<NodeError> after = e -> {
          if (e != null) {
            done.accept(e);
          } else {
            next[0].run();
          }
        };
        if (d.type() == DirEntry.Type.UNKNOWN) {
          nfs.fs.lstat(child, nfs.step((st, err3) -> {
            if (err3 != null) {
              after.accept(ignoreMissing(err3, force));
            } else {
              removeTree(child, st.isDirectory(), force, after);
            }
          }));
        } else {
          removeTree(child, d.type() == DirEntry.Type.DIR, force, after);
        }
      };
      next[0].run();
    }));
  }

  static NodeError ignoreMissing(UvException err, boolean force) {
    if (err == null || (force && err.code() == Errno.ENOENT)) {
      return null;
    }
    return SystemError.from(err);
  }
}
