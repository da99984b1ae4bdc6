import type { Engine } from '../../../src/engine';
import type { ScenarioBuilder } from '../../arbitraries/events';
import type { ModelClaims } from '../claims';
import type { Model } from '../model';
import type { ScenarioEvent } from '../../../src/replay/types';

/**
 * The two sides of fast-check's model-based run. The model side holds the independent rule model and
 * the scenario being written (refs, login targets, merge candidates); the real side holds the engine.
 */
export interface ModelSide {
  readonly model: Model;
  readonly builder: ScenarioBuilder;
  readonly claims: (event: ScenarioEvent) => ModelClaims;
}

export interface RealSide {
  readonly engine: Engine;
}
