package io.mayfly.cluster;

import io.mayfly.runtime.Address;
import io.mayfly.runtime.TraceContext;

/**
 * A publication on its way from the member that made it to every other member, on the cluster topic
 * {@value HazelcastPlacement#PUBLICATIONS}.
 *
 * @param publisher the publishing actor, or {@code null} for a publication from outside
 * @param trace the span that published, or {@code null}
 */
record Published(String topic, byte[] payload, Address publisher, TraceContext trace) {}
