package io.sextant.export;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who asked for an export, as stored with it: the subject ({@code user:…}, {@code service:…},
 * {@code api-key:…}, {@code external:…}) and the groups its token named (whose grants count for an
 * external subject). The job resolves the subject's authority anew from these when it runs.
 */
record Requester(String subject, Set<String> groups) {

    Requester {
        groups = java.util.Collections.unmodifiableSet(new TreeSet<>(groups));
    }
}
