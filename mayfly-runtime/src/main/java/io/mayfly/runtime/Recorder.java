package io.mayfly.runtime;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A node's turn recorder. Off by default; switched at run time for a whole type or for single
 * actors, it keeps each recorded turn as a {@link TurnRecord}: the message, the state the turn saw,
 * every answer the host gave it, the type version and configuration, its effects and its outcome.
 * Failed turns are kept even while recording is off (at most {@link NodeConfig#recordFailedTurns()}
 * per type), so the first failure can be replayed.
 *
 * <p>Memory is bounded per type by {@link NodeConfig#recordTurns()} and {@link
 * NodeConfig#recordBytes()}: the oldest turns are dropped first and counted as dropped. While
 * recording is off for a type the node builds no record of its committed turns.
 */
public interface Recorder {
  /**
   * Records every turn of a deployed type from now on.
   *
   * @throws UnknownActorTypeException if the type is not deployed
   */
  void start(String type);

  /**
   * Records every turn of one actor from now on.
   *
   * @throws UnknownActorTypeException if its type is not deployed
   */
  void start(Address actor);

  /** Stops recording a type and every actor of it; the turns kept so far stay. */
  void stop(String type);

  /** Stops recording one actor (a type-wide recording goes on). */
  void stop(Address actor);

  /** Whether the turns of {@code actor} are being recorded, by type or by actor. */
  boolean isRecording(Address actor);

  /** The kept turns of a type, recorded and failed, oldest first. */
  List<TurnRecord> recorded(String type);

  /** The kept turns of one actor, recorded and failed, oldest first. */
  List<TurnRecord> recorded(Address actor);

  /**
   * The bytes of the module a kept turn ran, by its SHA-256 ({@link
   * io.mayfly.wasm.ModuleInfo#sha256()}); empty once no kept turn ran it.
   */
  Optional<byte[]> module(String sha256);

  /** Forgets the kept turns of a type (recording goes on if it was on). */
  void clear(String type);

  /** What is recorded and kept, per type that has anything. */
  List<Status> status();

  /**
   * What the recorder does for one type.
   *
   * @param type the actor type
   * @param wholeType whether every actor of it is recorded
   * @param actors the actors recorded one by one
   * @param turns turns kept
   * @param bytes their estimated size
   * @param dropped turns dropped to stay within the bounds since the node started
   */
  record Status(
      String type, boolean wholeType, Set<Address> actors, int turns, long bytes, long dropped) {}
}
