package io.mayfly.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mayfly.examples.text.LanguageModel;
import io.mayfly.examples.text.TrainLanguages;
import io.mayfly.examples.text.TrainLanguages.Item;
import io.mayfly.examples.text.TrainLanguages.Split;
import io.mayfly.runtime.Address;
import io.mayfly.runtime.Mayfly;
import io.mayfly.runtime.TurnFailedException;
import io.mayfly.testing.Checkout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * The language-identification example (examples/text): the committed actor build identifies every
 * held-out word and phrase on an embedded node, with the committed model as shared data, and agrees
 * bit for bit with the Java model ({@link LanguageModel}); the committed model is what {@link
 * TrainLanguages} produces from the committed data.
 */
class TextExampleTest {
  private static final Path DIR = Checkout.path("examples/text");
  private static final String MODEL_KEY = "text/trigrams";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

  private static List<Item> all;
  private static Split split;
  private static List<Item> phrases;
  private static byte[] modelBytes;
  private static LanguageModel model;

  @BeforeAll
  static void load() throws IOException {
    all = TrainLanguages.load(DIR.resolve("data/words.tsv.gz"));
    split = TrainLanguages.split(all, TrainLanguages.SEED);
    phrases = TrainLanguages.phrases(split.test(), TrainLanguages.SEED);
    modelBytes = Files.readAllBytes(DIR.resolve("model/trigrams.bin"));
    model = LanguageModel.parse(modelBytes);
  }

  private static Mayfly node() throws IOException {
    Mayfly node = Mayfly.builder().workers(4).build();
    node.deploy("text", Files.readAllBytes(DIR.resolve("wasm/langid.wasm")));
    node.putSharedData(MODEL_KEY, modelBytes);
    return node;
  }

  private static CompletableFuture<byte[]> ask(Mayfly node, String address, byte[] payload) {
    return node.ask(Address.parse(address), payload, ASK_TIMEOUT).toCompletableFuture();
  }

  private static byte[] join(CompletableFuture<byte[]> f) {
    return f.orTimeout(60, TimeUnit.SECONDS).join();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What the actor must answer: the 2-letter code and the five scores, little-endian. */
  private static byte[] expectedReply(String text) {
    float[] scores = model.scores(text);
    ByteBuffer b = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
    b.put(
        LanguageModel.LANGUAGES[LanguageModel.argmax(scores)].getBytes(StandardCharsets.US_ASCII));
    for (float s : scores) {
      b.putFloat(s);
    }
    return b.array();
  }

  @Test
  void dataAndSplitAreTheDocumentedOnes() {
    assertThat(all).hasSize(30000);
    assertThat(split.train()).hasSize(24000);
    assertThat(split.test()).hasSize(6000);
    assertThat(phrases).hasSize(5 * TrainLanguages.PHRASES_PER_LANGUAGE);
  }

  @Test
  void trainingReproducesTheCommittedModelByteForByte() {
    byte[] retrained = TrainLanguages.train(split.train()).toBytes();
    assertThat(retrained)
        .as("examples/text/model/trigrams.bin is stale: rerun TrainLanguages")
        .isEqualTo(modelBytes);
    assertThat(modelBytes).hasSize(LanguageModel.FILE_BYTES);
  }

  @Test
  void actorIdentifiesTheHeldOutItemsExactlyAsTheJavaModel() throws IOException {
    List<Item> items = new ArrayList<>(split.test());
    items.addAll(phrases);
    try (Mayfly node = node()) {
      List<CompletableFuture<byte[]>> replies = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        replies.add(ask(node, "text/src-" + (i % 8), utf8(items.get(i).text())));
      }
      int wordsRight = 0;
      int phrasesRight = 0;
      for (int i = 0; i < items.size(); i++) {
        byte[] reply = join(replies.get(i));
        Item it = items.get(i);
        assertThat(reply).as("item %d %s", i, it.text()).isEqualTo(expectedReply(it.text()));
        String code = new String(reply, 0, 2, StandardCharsets.US_ASCII);
        if (code.equals(LanguageModel.LANGUAGES[it.lang()])) {
          if (i < split.test().size()) {
            wordsRight++;
          } else {
            phrasesRight++;
          }
        }
      }
      double wordAccuracy = (double) wordsRight / split.test().size();
      double phraseAccuracy = (double) phrasesRight / phrases.size();
      assertThat(phraseAccuracy).isGreaterThanOrEqualTo(0.9);

      double[] rates = new double[3];
      for (int pass = 0; pass < rates.length; pass++) {
        long start = System.nanoTime();
        List<CompletableFuture<byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          batch.add(ask(node, "text/src-" + (i % 8), utf8(items.get(i).text())));
        }
        for (CompletableFuture<byte[]> f : batch) {
          join(f);
        }
        rates[pass] = items.size() / ((System.nanoTime() - start) / 1e9);
      }
      Arrays.sort(rates);
      System.out.printf(
          "text: actor held-out accuracy words %.4f (%d/%d), 3-word phrases %.4f (%d/%d),"
              + " identical to the Java model; %.0f inferences/s (median of 3 passes of %d asks,"
              + " 8 actors, 4 workers)%n",
          wordAccuracy,
          wordsRight,
          split.test().size(),
          phraseAccuracy,
          phrasesRight,
          phrases.size(),
          rates[1],
          items.size());
    }
  }

  @Test
  void countsPerLanguageAndTellPublishes() throws IOException {
    try (Mayfly node = node()) {
      List<byte[]> published = new CopyOnWriteArrayList<>();
      List<String> topics = new CopyOnWriteArrayList<>();
      node.subscribe(
          "text/+/language",
          (topic, payload, publisher) -> {
            topics.add(topic);
            published.add(payload);
          });
      int[] counts = new int[LanguageModel.LANGUAGES.length];
      for (int i = 0; i < 10; i++) {
        String text = phrases.get(i * 200).text();
        counts[model.predict(text)]++;
        node.tell(Address.parse("text/feed"), utf8(text));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> topics.size() >= 10);
      assertThat(topics).hasSize(10).containsOnly("text/feed/language");
      for (int i = 0; i < 10; i++) {
        assertThat(published.get(i)).isEqualTo(expectedReply(phrases.get(i * 200).text()));
      }
      var state = node.state(Address.parse("text/feed")).orElseThrow().entries();
      assertThat(state).containsOnlyKeys("c");
      ByteBuffer c = ByteBuffer.wrap(state.get("c").value()).order(ByteOrder.LITTLE_ENDIAN);
      for (int l = 0; l < counts.length; l++) {
        assertThat(c.getInt()).as("count %s", LanguageModel.LANGUAGES[l]).isEqualTo(counts[l]);
      }
    }
  }

  @Test
  void badInputAndMissingModelFailTheTurn() throws IOException {
    try (Mayfly node = node()) {
      assertThatThrownBy(() -> join(ask(node, "text/x", new byte[0])))
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(TurnFailedException.class);
      for (byte[] bad :
          List.of(
              new byte[] {'a', (byte) 0xff, 'b'},
              new byte[] {'a', (byte) 0xc3},
              new byte[] {(byte) 0xc0, (byte) 0x80},
              new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
        assertThatThrownBy(() -> join(ask(node, "text/x", bad)))
            .hasCauseInstanceOf(TurnFailedException.class);
      }
      node.removeSharedData(MODEL_KEY);
      assertThatThrownBy(() -> join(ask(node, "text/x", utf8("bonjour"))))
          .hasCauseInstanceOf(TurnFailedException.class);
      // Failed turns leave no state behind.
      assertThat(node.state(Address.parse("text/x"))).isEmpty();
      // A valid accented word still works once the model is back.
      node.putSharedData(MODEL_KEY, modelBytes);
      assertThat(join(ask(node, "text/x", utf8("größtenteils"))))
          .isEqualTo(expectedReply("größtenteils"));
    }
  }
}
