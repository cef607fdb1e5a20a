package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workers and channels that clone their messages (Node's structured clone mapped to Java
 * serialization): DataCloneError on the sender, 'messageerror' on a receiver that cannot
 * deserialize, copies instead of shared objects.
 */
@ExtendWith(LeakCheck.class)
class WorkerCloneTest {
  /** Serializes fine; its readObject refuses (Node: a message that fails to deserialize). */
  static final class Refusing implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException {
      throw new InvalidObjectException("refused on arrival");
    }
  }

  record Point(int x, int y) implements Serializable { }

  /** Serializable, but holds something that is not. */
  static final class Holder implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object inside = new Object();
  }

  private static final Worker.Options CLONE = Worker.Options.DEFAULT.withCloneMessages(true);

  @Test
  void postMessageThrowsDataCloneErrorSynchronouslyAndQueuesNothing() throws Exception {
    List<Object> events = Collections.synchronizedList(new ArrayList<>());
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> WorkerContext.parentPort().onMessage(m -> {
        WorkerContext.parentPort().postMessage("worker got " + m);
        WorkerContext.parentPort().close();
      }), CLONE);
      NodeError lambda = assertThrows(NodeError.class, () -> w.postMessage((Runnable) () -> { }));
      assertEquals("DataCloneError", lambda.code());
      assertTrue(lambda.getMessage().contains("could not be cloned"), lambda.getMessage());
      NodeError nested = assertThrows(NodeError.class, () -> w.postMessage(new Holder()));
      assertEquals("DataCloneError", nested.code());
      assertTrue(nested.getMessage().contains("java.lang.Object"), nested.getMessage());
      w.postMessage("the only message");
      w.onMessage(events::add);
    });
    assertEquals(List.of("worker got the only message"), events);
  }

  @Test
  void aFailingReadObjectIsAMessageErrorOnTheReceivingSideBothWays() throws Exception {
    List<Object> events = Collections.synchronizedList(new ArrayList<>());
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> {
        MessagePort parent = WorkerContext.parentPort();
        parent.onMessageError(e -> parent.postMessage("worker messageerror " + e.getMessage()));
        parent.onMessage(m -> {
          parent.postMessage("worker message " + m);
          if (m.equals("last")) {
            parent.postMessage(new Refusing()); // fails on the parent's side
            parent.close();
          }
        });
      }, CLONE);
      w.onMessage(events::add);
      w.onMessageError(e -> events.add("parent messageerror " + e.getClass().getSimpleName() + " " + e.getMessage()));
      w.postMessage(new Refusing()); // serializes fine: the worker's side fails
      w.postMessage("last");
    });
    assertEquals(List.of("worker messageerror refused on arrival", "worker message last",
        "parent messageerror InvalidObjectException refused on arrival"), events);
  }

  @Test
  void aClassTheReceiverCannotLoadIsAMessageError() throws Exception {
    List<Object> events = Collections.synchronizedList(new ArrayList<>());
    NodeRuntime.run(node -> {
      // The worker resolves cloned classes with the platform class loader: it cannot see Point.
      Worker w = new Worker(node, wnode -> {
        MessagePort parent = WorkerContext.parentPort();
        parent.onMessageError(e -> parent.postMessage(e.getClass().getSimpleName() + " " + e.getMessage()));
        parent.onMessage(m -> {
          parent.postMessage("message " + m);
          parent.close();
        });
      }, CLONE.withContextClassLoader(ClassLoader.getPlatformClassLoader()));
      w.onMessage(events::add);
      w.postMessage(new Point(1, 2));
      w.postMessage(7L); // immutable values need no class of the application
    });
    assertEquals(List.of("ClassNotFoundException " + Point.class.getName(), "message 7"), events);
  }

  @Test
  void clonedMessagesAreCopiesAndImmutableOnesPassAsTheyAre() throws Exception {
    List<Object> received = new ArrayList<>();
    List<String> original = new ArrayList<>(List.of("a"));
    String text = new String("same");
    NodeRuntime.run(node -> {
      MessageChannel ch = new MessageChannel(node, true);
      ch.port2().onMessage(m -> {
        received.add(m);
        if (received.size() == 2) {
          ch.port1().close();
          ch.port2().close();
        }
      });
      ch.port1().postMessage(original);
      original.add("changed after posting");
      ch.port1().postMessage(text);
      assertThrows(NodeError.class, () -> ch.port1().postMessage(new Object()));
    });
    assertEquals(List.of("a"), received.get(0));
    assertNotSame(original, received.get(0));
    assertSame(text, received.get(1));
  }

  @Test
  void byDefaultMessagesPassByReferenceAndNothingIsCloned() throws Exception {
    List<Object> received = new ArrayList<>();
    Object notSerializable = new Object();
    NodeRuntime.run(node -> {
      MessageChannel ch = new MessageChannel(node);
      ch.port2().onMessage(m -> {
        received.add(m);
        ch.port1().close();
        ch.port2().close();
      });
      ch.port1().postMessage(notSerializable);
    });
    assertSame(notSerializable, received.get(0));
  }
}
