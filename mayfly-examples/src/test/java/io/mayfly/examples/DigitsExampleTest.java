package io.mayfly.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mayfly.examples.digits.DigitsModel;
import io.mayfly.examples.digits.TrainDigits;
import io.mayfly.examples.digits.TrainDigits.Sample;
import io.mayfly.examples.digits.TrainDigits.Split;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.testing.Checkout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image-recognition example (examples/digits): the committed actor build classifies the whole
 * held-out split of the 8x8 digits on an embedded node, with the committed weights as shared data,
 * and agrees bit for bit with the Java model ({@link DigitsModel}); the committed weights are what
 * {@link TrainDigits} produces from the committed data.
 */
class DigitsExampleTest {
  private static final Path DIR = Checkout.path("examples/digits");
  private static final String WEIGHTS_KEY = "digits/weights";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  /** Asks per timed pass: the held-out split five times over. */
  private static final int PASS = 5 * 359;

  private static List<Sample> all;
  private static Split split;
  private static byte[] weights;
  private static DigitsModel model;

  @BeforeAll
  static void load() throws IOException {
    all = TrainDigits.load(DIR.resolve("data/digits.csv.gz"));
    split = TrainDigits.split(all, TrainDigits.SEED);
    weights = Files.readAllBytes(DIR.resolve("model/weights.bin"));
    model = DigitsModel.parse(weights);
  }

  private static Mayfly node() throws IOException {
    Mayfly node = Mayfly.builder().workers(4).build();
    node.deploy("digits", Files.readAllBytes(DIR.resolve("wasm/digits.wasm")));
    node.putSharedData(WEIGHTS_KEY, weights);
    return node;
  }

  private static CompletableFuture<byte[]> ask(Mayfly node, String address, byte[] payload) {
    return node.ask(Address.parse(address), payload, ASK_TIMEOUT).toCompletableFuture();
  }

  private static byte[] join(CompletableFuture<byte[]> f) {
    return f.orTimeout(60, TimeUnit.SECONDS).join();
  }

  /** What the actor must answer: the digit and the ten scores, little-endian. */
  private static byte[] expectedReply(byte[] pixels) {
    float[] scores = model.scores(pixels);
    ByteBuffer b = ByteBuffer.allocate(41).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) DigitsModel.argmax(scores));
    for (float s : scores) {
      b.putFloat(s);
    }
    return b.array();
  }

  @Test
  void dataAndSplitAreTheDocumentedOnes() {
    assertThat(all).hasSize(1797);
    assertThat(split.train()).hasSize(1438);
    assertThat(split.test()).hasSize(359);
    for (int d = 0; d < 10; d++) {
      int digit = d;
      long n = all.stream().filter(s -> s.label() == digit).count();
      long t = split.test().stream().filter(s -> s.label() == digit).count();
      assertThat(t).as("digit %d held out", d).isEqualTo(Math.round(n * 0.2));
    }
  }

  @Test
  void trainingReproducesTheCommittedWeightsByteForByte() {
    long start = System.nanoTime();
    byte[] retrained =
        TrainDigits.train(split.train(), TrainDigits.SEED, TrainDigits.EPOCHS).toBytes();
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(retrained)
        .as("examples/digits/model/weights.bin is stale: rerun TrainDigits")
        .isEqualTo(weights);
    assertThat(weights).hasSize(DigitsModel.FILE_BYTES);
    System.out.printf(
        "digits: retrained %d epochs in %d ms, identical weights%n", TrainDigits.EPOCHS, ms);
  }

  @Test
  void javaModelScoresWellOnTheHeldOutSplit() {
    assertThat(TrainDigits.accuracy(model, split.test())).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void actorClassifiesTheHeldOutSplitExactlyAsTheJavaModel() throws IOException {
    List<Sample> test = split.test();
    try (Mayfly node = node()) {
      // One pass to check, then three timed passes; 8 cameras share the load.
      List<CompletableFuture<byte[]>> replies = new ArrayList<>();
      for (int i = 0; i < test.size(); i++) {
        replies.add(ask(node, "digits/cam-" + (i % 8), test.get(i).pixels()));
      }
      int right = 0;
      int agree = 0;
      for (int i = 0; i < test.size(); i++) {
        byte[] reply = join(replies.get(i));
        assertThat(reply).hasSize(41);
        byte[] expected = expectedReply(test.get(i).pixels());
        if (reply[0] == expected[0]) {
          agree++;
        }
        assertThat(reply).as("sample %d", i).isEqualTo(expected);
        if (reply[0] == test.get(i).label()) {
          right++;
        }
      }
      double accuracy = (double) right / test.size();
      assertThat(agree).isEqualTo(test.size());
      assertThat(accuracy).isGreaterThanOrEqualTo(0.9);

      double[] rates = new double[3];
      for (int pass = 0; pass < rates.length; pass++) {
        long start = System.nanoTime();
        List<CompletableFuture<byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < PASS; i++) {
          batch.add(ask(node, "digits/cam-" + (i % 8), test.get(i % test.size()).pixels()));
        }
        for (CompletableFuture<byte[]> f : batch) {
          join(f);
        }
        rates[pass] = PASS / ((System.nanoTime() - start) / 1e9);
      }
      Arrays.sort(rates);
      System.out.printf(
          "digits: actor held-out accuracy %.4f (%d/%d), identical to the Java model;"
              + " %.0f inferences/s (median of 3 passes of %d asks, 8 actors, 4 workers)%n",
          accuracy, right, test.size(), rates[1], PASS);
    }
  }

  @Test
  void historyKeepsTheLastEightPredictionsAndTellPublishes() throws IOException {
    List<Sample> test = split.test();
    try (Mayfly node = node()) {
      List<byte[]> published = new CopyOnWriteArrayList<>();
      List<String> topics = new CopyOnWriteArrayList<>();
      node.subscribe(
          "digits/+/prediction",
          (topic, payload, publisher) -> {
            topics.add(topic);
            published.add(payload);
          });
      byte[] digits = new byte[10];
      for (int i = 0; i < 10; i++) {
        digits[i] = (byte) model.predict(test.get(i).pixels());
        node.tell(Address.parse("digits/door"), test.get(i).pixels());
      }
      // An empty ask reads the history: u32 count | the last 8 digits, oldest first.
      byte[] history = join(ask(node, "digits/door", new byte[0]));
      ByteBuffer h = ByteBuffer.wrap(history).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(h.getInt()).isEqualTo(10);
      assertThat(Arrays.copyOfRange(history, 4, history.length))
          .isEqualTo(Arrays.copyOfRange(digits, 2, 10));
      assertThat(node.state(Address.parse("digits/door")).orElseThrow().entries())
          .containsOnlyKeys("h");

      await().atMost(Duration.ofSeconds(10)).until(() -> topics.size() >= 10);
      assertThat(topics).hasSize(10).containsOnly("digits/door/prediction");
      for (int i = 0; i < 10; i++) {
        assertThat(published.get(i)).isEqualTo(expectedReply(test.get(i).pixels()));
      }
      // A fresh actor has no history.
      assertThat(join(ask(node, "digits/new", new byte[0]))).isEmpty();
    }
  }

  @Test
  void badInputAndMissingWeightsFailTheTurn() throws IOException {
    try (Mayfly node = node()) {
      assertThatThrownBy(() -> join(ask(node, "digits/x", new byte[63])))
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(TurnFailedException.class);
      byte[] bad = new byte[64];
      bad[5] = 17;
      assertThatThrownBy(() -> join(ask(node, "digits/x", bad)))
          .hasCauseInstanceOf(TurnFailedException.class);
      node.removeSharedData(WEIGHTS_KEY);
      assertThatThrownBy(() -> join(ask(node, "digits/x", new byte[64])))
          .hasCauseInstanceOf(TurnFailedException.class);
      // Failed turns leave no state behind.
      assertThat(node.state(Address.parse("digits/x"))).isEmpty();
    }
  }
}
