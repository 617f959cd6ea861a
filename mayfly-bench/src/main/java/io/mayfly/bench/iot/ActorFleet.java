package io.mayfly.bench.iot;

import java.util.concurrent.CompletionStage;

/**
 * An actor system holding sensor actors (Mayfly or Pekko), as {@link ActorDriven} sees it: it tells
 * and asks sensors from one thread and watches the count of handled turns. Alerts go to the {@link
 * AlertSink} the fleet was made with.
 */
interface ActorFleet extends AutoCloseable {
  /** The name in the tables. */
  String name();

  /** Makes sure sensors {@code 0 .. sensors-1} of the group can be addressed. */
  void grow(Group group, int sensors);

  /**
   * Tells a sensor a reading.
   *
   * @return {@code false} if the sensor's mailbox is full and the reading was not queued (the
   *     sender may try again once the sensor has handled some of its messages)
   */
  boolean tell(Group group, int sensor, byte[] reading);

  /**
   * Asks a sensor for its window's mean and count.
   *
   * @return the reply, or {@code null} if the sensor's mailbox is full and the ask was not queued
   */
  CompletionStage<WindowStats> ask(Group group, int sensor, byte[] reading);

  /**
   * Turns handled since the fleet started, each one's alerts and reply already delivered.
   *
   * @throws IllegalStateException if a turn failed or a message was refused for another reason than
   *     a full mailbox
   */
  long turns();

  /** Returns once every alert of the turns handled so far has reached the sink. */
  void awaitAlerts();

  /** Whether its turns run on threads named {@code mayfly-worker-*}, whose CPU time is measured. */
  boolean hasWorkerThreads();

  @Override
  void close();
}
