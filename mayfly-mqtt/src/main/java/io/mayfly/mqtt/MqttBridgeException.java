package io.mayfly.mqtt;

import io.mayfly.wasm.MayflyException;

/**
 * The MQTT bridge could not do what was asked: it was started twice, or closed before it connected.
 */
public class MqttBridgeException extends MayflyException {
  private static final long serialVersionUID = 1L;

  /** An error saying what went wrong and what to do. */
  public MqttBridgeException(String message) {
    super(message);
  }

  /** An error with the failure that caused it. */
  public MqttBridgeException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String code() {
    return "mqtt_bridge";
  }
}
