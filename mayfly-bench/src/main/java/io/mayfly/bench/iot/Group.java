package io.mayfly.bench.iot;

/**
 * The two sets of sensors an implementation holds: the timed ones, whose ids are their numbers
 * ({@code sensor/0} .. {@code sensor/99999}), and the ones that run the verification stream, fresh
 * sensors with ids {@code v0}, {@code v1}, ...
 */
enum Group {
  TIMED(""),
  VERIFICATION("v");

  private final String prefix;

  Group(String prefix) {
    this.prefix = prefix;
  }

  /** The actor id of sensor {@code sensor} of this group. */
  String id(int sensor) {
    return prefix + sensor;
  }

  /**
   * The group and the sensor number of an actor id.
   *
   * @throws IllegalArgumentException if the id is not one of a group's
   */
  static Sensor parse(String id) {
    Group group = id.startsWith(VERIFICATION.prefix) ? VERIFICATION : TIMED;
    String number = id.substring(group.prefix.length());
    if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + id + "' is not the id of a benchmark sensor");
    }
    return new Sensor(group, Integer.parseInt(number));
  }

  /** One sensor of a group. */
  record Sensor(Group group, int number) {}
}
