/**
 * Retrains the topic, problem and router models off the main thread (learning/model-retrainer.ts starts it;
 * this file is that thread's composition root):
 * training takes seconds of CPU, and the event loop that serves the API and the workers must not
 * wait for it. Reads the rule files and the project's labelled sets itself; gets the decisions and
 * the models in force from its parent, and posts back both candidates with their verdicts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Classifier, type ClassifierModels } from '../core/classify/classifier.js';
import type { LinearModel } from '../core/classify/linear-model.js';
import { loadRuleFiles } from './rules.js';
import type { RetrainInput } from '../learning/model-retrainer.js';
import { readCedr } from '../training/cedr.js';
import { isTestExample, readLabelledPosts } from '../training/examples.js';
import { retrainProblem, retrainRouter, retrainTopics } from '../training/retrain.js';
import { TerritoryLocator } from '../core/classify/gazetteer.js';
import { resolveProjectPath } from '../paths.js';

const input = workerData as RetrainInput;
const rules = loadRuleFiles(input.files);
const read = (name: string) => readLabelledPosts(resolveProjectPath(`rules/training/${name}`), `rules/training/${name}`);
// The same shipped sets `npm run train` learns from: examples' train part, reports, ordinary posts.
const shipped = [...read('examples.jsonl').filter((p) => !isTestExample(p)), ...read('reports.jsonl'), ...read('ordinary.jsonl')];
const labels = new Classifier(rules).topicIds().filter((id) => !id.includes('.'));
const topics = retrainTopics({ rules, models: input.models, shipped, decisions: input.decisions, labels, minHeldOut: input.minHeldOut });
// The problem model reads the topic the classifier will name: with the new topic model if it goes in.
const withTopics: ClassifierModels = { ...input.models, ...(topics.promote ? { topics: topics.candidate } : {}) };
const ordinary = readCedr(resolveProjectPath('rules/training/cedr/cedr-main-train.csv')).map((r) => r.text);
const problem = retrainProblem({ rules, models: withTopics, shipped, ordinary, decisions: input.decisions, minHeldOut: input.minHeldOut });
// The router learns where places lie from the same gazetteer the classifier names them with.
const tree = new TerritoryLocator(rules.gazetteer ?? { version: 1, territories: [] });
const router = retrainRouter({ labels: input.routing, ...(input.router ? { current: input.router } : {}), tree, minHeldOut: input.minHeldOut });
const out: { topics: typeof topics; problem: typeof problem; router: typeof router } = { topics, problem, router };
parentPort?.postMessage(out satisfies { topics: { candidate: LinearModel }; problem: { candidate: LinearModel }; router: { candidate?: LinearModel } });
