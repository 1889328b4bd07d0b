package org.fenghuo.simulator.city;

import java.time.LocalDate;

/** A resident of the demo city. Fictional: the identity number is well-formed but invented. */
public record Person(String idNumber, String name, boolean male, LocalDate birthDate, String phone, String homeGridCode) {}
