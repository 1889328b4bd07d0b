package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One way to key an event; exactly one of {@code entity}, {@code region}, {@code place} is given.
 *
 * @param entity {@code ENTERPRISE} (verified credit codes only) or {@code PERSON} (keyed hash)
 * @param roles  for PERSON: only people in these roles (PETITIONER, CALLER, COMPLAINANT, SUBJECT); default all
 * @param region a region level: the event's code at that level ({@code GRID}, {@code COMMUNITY}, {@code STREET},
 *               {@code DISTRICT})
 * @param place  metres: events within this distance of each other form one place (needs a location)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeySpec(String entity, List<String> roles, String region, Double place) {}
