import { trainLinearModel, type LinearModel, type LinearExample } from '../core/classify/linear-model.js';
import { reportsProblem, type LabelledPost } from './examples.js';

/** L2 penalty of the problem model's words and of its designed features. */
export const PROBLEM_L2 = 1e-3;

/** What the problem model learns from, each text with a verdict. */
export interface ProblemTrainingSet {
  /** The project's labelled posts (complaints and questions with a topic report a problem). */
  labelled: readonly LabelledPost[];
  /** Ordinary text that reports nothing (CEDR's sentences): the everyday use of topic words. */
  ordinary: readonly string[];
  /** Moderators' verdicts: accepted alerts report a problem, alerts rejected as noise do not. */
  decisions: readonly { text: string; problem: boolean }[];
}

/**
 * Trains the problem detector's model. Reports and non-reports weigh the same in total. Among
 * non-reports, ordinary text where the topic rules find something weighs most: an alert needs a
 * topic anyway, so the model must learn whether a text that mentions roads or rubbish reports a
 * problem with them, not which texts mention them. The project's own non-reports (ads, thanks,
 * poems, news from elsewhere) come next, and a little ordinary text the rules find nothing in, so
 * that a text no rule recognises is not taken for a report.
 */
export function trainProblemModel(set: ProblemTrainingSet, featuresOf: (text: string) => string[]): LinearModel {
  const topical = (f: readonly string[]) => !f.includes('f:t_none');
  const yes: string[][] = [];
  const ownNo: string[][] = [];
  const byText = new Map<string, boolean>();
  for (const p of set.labelled) byText.set(p.text, reportsProblem(p));
  for (const d of set.decisions) byText.set(d.text, d.problem);
  for (const [text, problem] of byText) (problem ? yes : ownNo).push(featuresOf(text));
  const ordinaryAll = set.ordinary.map(featuresOf);
  const ordinary = ordinaryAll.filter(topical);
  const untopical = ordinaryAll.filter((f) => !topical(f));
  const examples: LinearExample[] = [
    ...yes.map((features) => ({ features, label: 'yes', weight: 1 / Math.max(1, yes.length) })),
    ...ownNo.map((features) => ({ features, label: 'no', weight: 0.4 / Math.max(1, ownNo.length) })),
    ...ordinary.map((features) => ({ features, label: 'no', weight: 0.45 / Math.max(1, ordinary.length) })),
    ...untopical.map((features) => ({ features, label: 'no', weight: 0.15 / Math.max(1, untopical.length) })),
  ];
  return trainLinearModel(examples, ['no', 'yes'], {
    l2: PROBLEM_L2,
    featureSet: 'problem',
    calibrationFolds: 5,
    trainedOn: `${yes.length} reports and ${ownNo.length} non-reports (project examples${set.decisions.length > 0 ? ` and ${set.decisions.length} moderators' decisions` : ''}) + ${ordinary.length} ordinary sentences that mention a topic and ${untopical.length} that do not (CEDR); designed report cues and content-word stems`,
  });
}
