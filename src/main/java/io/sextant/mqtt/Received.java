package io.sextant.mqtt;

/**
 * A message as the broker delivered it, not yet acknowledged.
 *
 * @param id the packet id to acknowledge it by
 * @param qos its quality of service
 */
record Received(String topic, byte[] payload, int id, int qos) {}
