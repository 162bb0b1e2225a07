package io.ssmd.worker.schedule;

import io.ssmd.worker.workflows.WorkflowCatalog;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The workflow types a schedule may start and the record each takes as input, against which a
 * schedule file's {@code input} is checked when it is loaded.
 */
public interface InputTypes {
  /** The input record of {@code workflowType}, or empty when there is no such workflow type. */
  Optional<Class<? extends Record>> inputOf(String workflowType);

  /** Every known workflow type, for error messages. */
  SortedSet<String> workflowTypes();

  /** The worker's workflows ({@link WorkflowCatalog}). */
  static InputTypes catalog() {
    return new InputTypes() {
      @Override
      public Optional<Class<? extends Record>> inputOf(String workflowType) {
        return WorkflowCatalog.find(workflowType).map(WorkflowCatalog.Entry::inputType);
      }

      @Override
      public SortedSet<String> workflowTypes() {
        TreeSet<String> names = new TreeSet<>();
        WorkflowCatalog.all().forEach(e -> names.add(e.type()));
        return names;
      }
    };
  }
}
