/** Event types of the labels module: ids, subjects, values and addresses (never the reason). */
export const LabelsEvents = {
  LabelCreated: "vivim.labels.v1.EventLabelCreated",
  LabelNegated: "vivim.labels.v1.EventLabelNegated",
  ParamsUpdated: "vivim.labels.v1.EventParamsUpdated",
} as const;
