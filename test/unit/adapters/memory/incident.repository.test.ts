import { MemoryIncidentRepository } from '../../../../src/adapters/memory/incident.repository.js';
import { incidentRepositoryConformance } from '../../../helpers/incident-repository-conformance.js';

incidentRepositoryConformance('memory', () => new MemoryIncidentRepository());
