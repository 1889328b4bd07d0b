package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A filter on normalised events. Every part that is given must hold; {@code anyOf} holds when one of its
 * matches does. Feeds are named by their id ({@code grid-report}, {@code linkage-call}, {@code petition},
 * {@code labor-inspection}); {@code category} is the feed's own classification (grid category, 110 call type,
 * petition issue type, labour issue); {@code subcategory} the petition channel or labour record kind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Match(List<String> feed, List<String> category, List<String> subcategory, List<FieldCondition> where,
                    List<Match> anyOf) {}
