package org.fenghuo.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fenghuo.core.feed.Feed;

/** A record as built, before it is serialised (or broken). */
record Draft(Feed feed, String id, ObjectNode json, long eventTimeMillis, boolean badCheckDigit) {}
