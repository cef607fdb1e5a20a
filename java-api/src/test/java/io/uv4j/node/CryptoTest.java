package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class CryptoTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void pbkdf2MatchesRfc6070() {
    assertEquals("0c60c80f961f0e71f3a9b524af6012062fe037a6",
        Crypto.hex(Crypto.pbkdf2Sync("password", "salt", 1, 20, "sha1")));
    assertEquals("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957",
        Crypto.hex(Crypto.pbkdf2Sync("password", "salt", 2, 20, "sha1")));
    assertEquals("4b007901b765489abead49d926f721d065a429c1",
        Crypto.hex(Crypto.pbkdf2Sync("password", "salt", 4096, 20, "sha1")));
    assertEquals("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038",
        Crypto.hex(Crypto.pbkdf2Sync("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25, "sha1")));
    assertEquals("56fa6aa75548099dcc37d7f03425e0c3",
        Crypto.hex(Crypto.pbkdf2Sync(b("pass\0word"), b("sa\0lt"), 4096, 16, "sha1")));
  }

  @Test
  void pbkdf2MatchesNode() {
    // Recorded from Node 20: crypto.pbkdf2Sync(...).toString('hex').
    assertEquals("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
        Crypto.hex(Crypto.pbkdf2Sync("password", "salt", 1, 32, "sha256")));
    assertEquals("133a4ce837b4d2521ee2bf03e11c71ca794e0797",
        Crypto.hex(Crypto.pbkdf2Sync(new byte[0], b("salt"), 2, 20, "sha1")), "empty password");
    assertEquals("", Crypto.hex(Crypto.pbkdf2Sync("p", "s", 1, 0, "sha256")), "zero-length key");
  }

  @Test
  void scryptMatchesRfc7914AndNode() {
    // RFC 7914 section 12, which Node's crypto.scryptSync reproduces byte for byte.
    assertEquals("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906",
        Crypto.hex(Crypto.scryptSync(new byte[0], new byte[0], 64, 16, 1, 1, Crypto.SCRYPT_DEFAULT_MAXMEM)));
    assertEquals("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640",
        Crypto.hex(Crypto.scryptSync(b("password"), b("NaCl"), 64, 1024, 8, 16, Crypto.SCRYPT_DEFAULT_MAXMEM)));
    assertEquals("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
        Crypto.hex(Crypto.scryptSync(b("pleaseletmein"), b("SodiumChloride"), 64)), "Node's defaults N=16384 r=8 p=1");
    // Recorded from Node 20: crypto.scryptSync('uv4j', 'libuv', 20, {N: 256, r: 3, p: 2}).toString('hex')
    assertEquals(NODE_SCRYPT_ODD, Crypto.hex(Crypto.scryptSync(b("uv4j"), b("libuv"), 20, 256, 3, 2, Crypto.SCRYPT_DEFAULT_MAXMEM)));
  }

  static final String NODE_SCRYPT_ODD = "52af0e7497c13828d52da9cdd0e4f82c5a7fbca0";

  @Test
  void scryptParametersAreCheckedLikeOpenSsl() {
    for (long[] bad : new long[][] {{1000, 8, 1}, {1, 8, 1}, {65536, 1, 1}}) {
      NodeError e = assertThrows(NodeError.class,
          () -> Crypto.scryptSync(b("p"), b("s"), 16, bad[0], (int) bad[1], (int) bad[2], Crypto.SCRYPT_DEFAULT_MAXMEM));
      assertEquals("ERR_CRYPTO_INVALID_SCRYPT_PARAMS", e.code(), Arrays.toString(bad));
    }
    // As in Node, 0 means the default.
    assertEquals(Crypto.hex(Crypto.scryptSync(b("p"), b("s"), 16)),
        Crypto.hex(Crypto.scryptSync(b("p"), b("s"), 16, 0, 0, 0, 0)));
    // N=2^15, r=8 needs 32 MiB and a little more: over the default maxmem.
    assertThrows(NodeError.class, () -> Crypto.scryptSync(b("p"), b("s"), 16, 32768, 8, 1, Crypto.SCRYPT_DEFAULT_MAXMEM));
    assertEquals(16, Crypto.scryptSync(b("p"), b("s"), 16, 32768, 8, 1, 64L << 20).length);
  }

  @Test
  void badArgumentsThrowAtOnce() {
    NodeTesting.run(node -> {
      Crypto c = Crypto.of(node);
      assertEquals("ERR_CRYPTO_INVALID_DIGEST",
          assertThrows(NodeError.class, () -> c.pbkdf2("p", "s", 1, 8, "sha257", (e, k) -> { })).code());
      assertEquals("ERR_OUT_OF_RANGE",
          assertThrows(NodeError.class, () -> c.pbkdf2("p", "s", 0, 8, "sha256", (e, k) -> { })).code());
      assertEquals("ERR_OUT_OF_RANGE",
          assertThrows(NodeError.class, () -> c.randomBytes(-1, (e, k) -> { })).code());
      assertEquals("ERR_CRYPTO_INVALID_SCRYPT_PARAMS",
          assertThrows(NodeError.class, () -> c.scrypt(b("p"), b("s"), 8, 3, 8, 1, 1 << 20, (e, k) -> { })).code());
    });
  }

  @Test
  void asyncFormsRunOnThePoolAndCallBackOnTheLoopThread() {
    List<String> events = new ArrayList<>();
    Thread[] loopThread = new Thread[1];
    NodeTesting.run(node -> {
      loopThread[0] = Thread.currentThread();
      Crypto c = Crypto.of(node);
      c.pbkdf2("password", "salt", 4096, 20, "sha1", (err, key) -> {
        assertNull(err);
        assertSame(loopThread[0], Thread.currentThread());
        events.add("pbkdf2 " + Crypto.hex(key));
        node.nextTick(() -> events.add("tick after pbkdf2 callback"));
        c.scrypt("pleaseletmein", "SodiumChloride", 16, (err2, key2) -> {
          events.add("scrypt " + Crypto.hex(key2));
          c.randomBytes(32, (err3, r1) -> {
            byte[] r2 = Crypto.randomBytes(32);
            events.add("random " + r1.length + " " + r2.length + " differ " + !Arrays.equals(r1, r2));
          });
        });
      });
      node.nextTick(() -> events.add("main tick first"));
    });
    assertEquals(List.of("main tick first", "pbkdf2 4b007901b765489abead49d926f721d065a429c1",
        "tick after pbkdf2 callback", "scrypt 7023bdcb3afd7348461c06cd81fd38eb", "random 32 32 differ true"), events);
  }

  @Test
  void timingSafeEqual() {
    assertTrue(Crypto.timingSafeEqual(b("abc"), b("abc")));
    assertFalse(Crypto.timingSafeEqual(b("abc"), b("abd")));
    assertThrows(NodeError.class, () -> Crypto.timingSafeEqual(b("a"), b("ab")));
  }
}
